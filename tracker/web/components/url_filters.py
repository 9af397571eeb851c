"""A page's filters kept in its address (?theme=2&owner=5), so a filtered view can be bookmarked,
shared and reloaded, and Back and Forward step through the filters chosen.

The page holds a dcc.Location of its own (refresh=False). One callback of the page takes the filter
controls and that location's `search` as Inputs and writes both: a changed control pushes a new
address (a history entry, without reloading); Back or Forward changes `search`, and the callback
sets the controls from it. The page's layout reads the same names from the query string, so a
fresh load shows the same view.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dash import dcc


def location(page: str) -> dcc.Location:
    return dcc.Location(id=f"{page}-url", refresh=False)


def location_id(page: str) -> str:
    return f"{page}-url"


def to_search(values: dict[str, object]) -> str:
    """"?name=value&..." for each filter that is set ("" when none is)."""
    kept = {name: str(value) for name, value in values.items() if value not in (None, "")}
    return f"?{urlencode(kept)}" if kept else ""


def from_search(search, names: list[str]) -> dict[str, str]:
    """Each named filter's value in `search` ("" when absent); anything else in it is ignored. The
    values are the browser's, so the page checks them as it checks its controls'."""
    try:
        parsed = parse_qs(str(search or "").lstrip("?"), max_num_fields=50)
    except ValueError:
        parsed = {}
    return {name: (parsed.get(name) or [""])[0][:200] for name in names}
