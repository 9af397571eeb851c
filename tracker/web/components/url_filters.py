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


# --- A grid's filters in the address -------------------------------------------------------------
# AG Grid's filter model ({"rag": {"filterType": "text", "type": "contains", "filter": "Red"}}) as
# short names: ?rag=Red (contains), ?progress=lessThan:50, ?ref=startsWith:TR, ?owner=blank:. The
# column's name in the address drops "_link" (the Ref column's field is ref_link). One condition per
# column: a filter of two joined conditions is not kept in the address.

TEXT_TYPES = ("contains", "notContains", "equals", "notEqual", "startsWith", "endsWith", "blank", "notBlank")
NUMBER_TYPES = ("equals", "notEqual", "greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual",
                "inRange", "blank", "notBlank")
NO_VALUE = ("blank", "notBlank")


def grid_location(page: str) -> dcc.Location:
    """A location whose id is a pattern, so a callback can name it with ALL where the grid is shown
    without it (the embedded view)."""
    return dcc.Location(id=grid_location_id(page), refresh=False)


def grid_location_id(page) -> dict:
    return {"type": "filter-url", "page": page}


def _url_name(field: str) -> str:
    return field.removesuffix("_link")


def _number(text) -> float | int | None:
    try:
        value = float(str(text))
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() else value


def grid_filters_to_query(model, number_fields: set[str], fields: list[str]) -> dict[str, str]:
    """{url name: "type:value" or the text alone for "contains"} for each simple filter in `model`."""
    query = {}
    for field in fields:
        condition = model.get(field) if isinstance(model, dict) else None
        if not isinstance(condition, dict) or "operator" in condition:
            continue
        kind = condition.get("type")
        if kind in NO_VALUE:
            query[_url_name(field)] = f"{kind}:"
        elif field in number_fields and kind == "inRange":
            query[_url_name(field)] = f"inRange:{condition.get('filter')}..{condition.get('filterTo')}"
        elif condition.get("filter") not in (None, ""):
            value = str(condition.get("filter"))
            query[_url_name(field)] = value if kind == "contains" else f"{kind}:{value}"
    return query


def _condition(text: str, number: bool) -> dict | None:
    kinds = NUMBER_TYPES if number else TEXT_TYPES
    kind, sep, value = text.partition(":")
    if not sep or kind not in kinds:
        kind, value = ("equals" if number else "contains"), text
    if kind in NO_VALUE:
        return {"filterType": "number" if number else "text", "type": kind}
    if not number:
        return {"filterType": "text", "type": kind, "filter": value} if value else None
    if kind == "inRange":
        low, _, high = value.partition("..")
        low, high = _number(low), _number(high)
        return None if low is None or high is None else {"filterType": "number", "type": kind, "filter": low,
                                                         "filterTo": high}
    found = _number(value)
    return None if found is None else {"filterType": "number", "type": kind, "filter": found}


def grid_filters_from_search(search, number_fields: set[str], fields: list[str]) -> dict:
    """The grid's filter model from the address; anything it cannot read is left out."""
    values = from_search(search, [_url_name(f) for f in fields])
    model = {}
    for field in fields:
        text = values[_url_name(field)]
        condition = _condition(text, field in number_fields) if text else None
        if condition:
            model[field] = condition
    return model
