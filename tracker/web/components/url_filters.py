"""A page's filters kept in its address (?theme=2&owner=5), so a filtered view can be bookmarked,
shared and reloaded, and Back and Forward step through the filters chosen.

The page holds a dcc.Location of its own (refresh=False). One callback of the page takes the filter
controls and that location's `search` as Inputs and writes both: a changed control pushes a new
address (a history entry, without reloading); Back or Forward changes `search`, and the callback
sets the controls from it. The page's layout reads the same names from the query string, so a
fresh load shows the same view.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode

from dash import dcc

MAX_FIELDS = 50  # a longer query string is not the tracker's: read as no filters at all
MAX_VALUE = 200  # characters kept of any one value


def location(page: str) -> dcc.Location:
    return dcc.Location(id=location_id(page), refresh=False)


def location_id(page: str) -> dict:
    """A pattern id, so the saved-views panel (tracker.web.components.saved_views) can read the address
    on any page that keeps its filters in it."""
    return {"type": "page-url", "page": page}


def to_search(values: dict[str, object]) -> str:
    """"?name=value&..." for each filter that is set ("" when none is). A list (a name given twice, as
    Dash's pages hand a repeated name to a layout) keeps each of its values, in order."""
    kept: list[tuple[str, str]] = []
    for name, value in values.items():
        for one in (value if isinstance(value, list | tuple) else [value]):
            if one not in (None, ""):
                kept.append((str(name), str(one)))
    return f"?{urlencode(kept)}" if kept else ""


def first_value(value, limit: int = MAX_VALUE) -> str | None:
    """One value of the address as Dash's pages hand it to a layout (a name given twice is a list):
    the first, as text of at most `limit` characters; None when there is none."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value)[:limit] if value not in (None, "") else None


def _parsed(search) -> dict[str, list[str]]:
    """The query string's values by name; a malformed or overlong one reads as no filters (never an error)."""
    try:
        return parse_qs(str(search or "").lstrip("?"), max_num_fields=MAX_FIELDS)
    except ValueError:
        return {}


def from_search(search, names: list[str]) -> dict[str, str]:
    """Each named filter's value in `search` ("" when absent); anything else in it is ignored. The
    values are the browser's, so the page checks them as it checks its controls'."""
    parsed = _parsed(search)
    return {name: (parsed.get(name) or [""])[0][:MAX_VALUE] for name in names}


# --- A grid's filters in the address -------------------------------------------------------------
# AG Grid's filter model ({"rag": {"filterType": "text", "type": "contains", "filter": "Red"}}) as short
# names, one condition a value: ?rag=Red (contains), ?progress=lessThan:50, ?ref=startsWith:TR,
# ?owner=blank:, and on a date column ?due=inRange:2026-01-01..2026-03-31. Text to "contain" that has a
# colon in it is written contains:<text>, so it never reads as another type. Two joined conditions
# ("contains X AND contains Y") name the column twice, the second saying how it joins:
# ?title=naloxone&title=and:contains:hostel, ?progress=lessThan:10&progress=or:blank:. The column's
# name in the address drops "_link" (the Ref column's field is ref_link). What cannot be read (an
# unknown type, a number that is none, a third condition) leaves that column unfiltered.

TEXT_TYPES = ("contains", "notContains", "equals", "notEqual", "startsWith", "endsWith", "blank", "notBlank")
NUMBER_TYPES = ("equals", "notEqual", "greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual",
                "inRange", "blank", "notBlank")
DATE_TYPES = ("equals", "notEqual", "lessThan", "greaterThan", "inRange", "blank", "notBlank")
TYPES = {"text": TEXT_TYPES, "number": NUMBER_TYPES, "date": DATE_TYPES}
DEFAULT_TYPE = {"text": "contains", "number": "equals", "date": "equals"}
NO_VALUE = ("blank", "notBlank")
JOINS = ("and", "or")
MAX_CONDITIONS = 2  # AG Grid's default (maxNumConditions): a filter of two joined conditions


def grid_location(page: str) -> dcc.Location:
    """A location whose id is a pattern, so a callback can name it with ALL where the grid is shown
    without it (the embedded view)."""
    return dcc.Location(id=grid_location_id(page), refresh=False)


def grid_location_id(page) -> dict:
    return {"type": "filter-url", "page": page}


def _url_name(field: str) -> str:
    return field.removesuffix("_link")


def _number(text) -> float | int | None:
    if isinstance(text, bool):
        return None
    try:
        value = float(str(text))
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return int(value) if value.is_integer() else value


def _day(text) -> str | None:
    """"2026-03-31" from a date as AG Grid's date filter writes it ("2026-03-31 00:00:00") or the
    address does; None when it is no date."""
    try:
        return date.fromisoformat(str(text)[:10]).isoformat() if isinstance(text, str) else None
    except ValueError:
        return None


def _kind(field: str, number_fields, date_fields) -> str:
    return "number" if field in number_fields else "date" if field in date_fields else "text"


def _encode(condition, kind: str) -> str | None:
    """One condition as the address writes it, or None when it is not one this column's filter makes."""
    if not isinstance(condition, dict) or condition.get("filterType", kind) != kind:
        return None
    chosen = condition.get("type")
    if chosen not in TYPES[kind]:
        return None
    if chosen in NO_VALUE:
        return f"{chosen}:"
    read = _day if kind == "date" else _number if kind == "number" else None
    if read is not None:
        low_key, high_key = ("dateFrom", "dateTo") if kind == "date" else ("filter", "filterTo")
        low = read(condition.get(low_key))
        high = read(condition.get(high_key)) if chosen == "inRange" else ""
        if low is None or high is None:
            return None
        return f"inRange:{low}..{high}" if chosen == "inRange" else f"{chosen}:{low}"
    text = condition.get("filter")
    if isinstance(text, bool) or not isinstance(text, str | int | float) or str(text) == "":
        return None
    text = str(text)
    return text if chosen == "contains" and ":" not in text else f"{chosen}:{text}"


def _column_values(entry, kind: str) -> list[str]:
    """A column's filter as the address's values: one, or two with the join on the second."""
    if not isinstance(entry, dict):
        return []
    if "operator" not in entry and "conditions" not in entry:
        one = _encode(entry, kind)
        return [one] if one else []
    join = str(entry.get("operator") or "").lower()
    conditions = entry.get("conditions")
    if not isinstance(conditions, list):  # AG Grid before 29 wrote condition1 and condition2
        conditions = [c for c in (entry.get("condition1"), entry.get("condition2")) if c is not None]
    encoded = [_encode(c, kind) for c in conditions]
    if join not in JOINS or not 1 <= len(encoded) <= MAX_CONDITIONS or None in encoded:
        return []
    return [encoded[0], *(f"{join}:{e}" for e in encoded[1:])]


def grid_filters_to_query(model, number_fields: set[str], fields: list[str],
                          date_fields: set[str] = frozenset()) -> dict[str, str | list[str]]:
    """{url name: "type:value" (the text alone for "contains"), or a list of two for joined
    conditions} for each filter in `model` that the address can say."""
    query: dict[str, str | list[str]] = {}
    for field in fields:
        values = _column_values(model.get(field) if isinstance(model, dict) else None,
                                _kind(field, number_fields, date_fields))
        if values:
            query[_url_name(field)] = values[0] if len(values) == 1 else values
    return query


def _condition(text: str, kind: str) -> dict | None:
    chosen, sep, value = text.partition(":")
    if not sep or chosen not in TYPES[kind]:
        chosen, value = DEFAULT_TYPE[kind], text
    if chosen in NO_VALUE:
        return {"filterType": kind, "type": chosen}
    if kind == "text":
        return {"filterType": "text", "type": chosen, "filter": value} if value else None
    low, _, high = value.partition("..") if chosen == "inRange" else (value, "", "")
    if kind == "date":
        low, high = _day(low), (_day(high) if chosen == "inRange" else "")
        if low is None or high is None:
            return None
        found = {"filterType": "date", "type": chosen, "dateFrom": f"{low} 00:00:00", "dateTo": None}
        return found | ({"dateTo": f"{high} 00:00:00"} if chosen == "inRange" else {})
    low, high = _number(low), (_number(high) if chosen == "inRange" else 0)
    if low is None or high is None:
        return None
    found = {"filterType": "number", "type": chosen, "filter": low}
    return found | ({"filterTo": high} if chosen == "inRange" else {})


def _column_filter(values: list[str], kind: str) -> dict | None:
    """A column's filter model from its values in the address, or None when any part is unreadable."""
    if not 1 <= len(values) <= MAX_CONDITIONS:
        return None
    first = _condition(values[0], kind)
    if first is None or len(values) == 1:
        return first
    join, sep, text = values[1].partition(":")
    if not (sep and join.lower() in JOINS):
        join, text = "and", values[1]  # written by hand without a join: both must hold
    second = _condition(text, kind)
    if second is None:
        return None
    return {"filterType": kind, "operator": join.upper(), "conditions": [first, second]}


def grid_filters_from_search(search, number_fields: set[str], fields: list[str],
                             date_fields: set[str] = frozenset()) -> dict:
    """The grid's filter model from the address; a column whose filter it cannot read is left out."""
    parsed = _parsed(search)
    model = {}
    for field in fields:
        values = [v[:MAX_VALUE] for v in parsed.get(_url_name(field), [])]
        found = _column_filter(values, _kind(field, number_fields, date_fields)) if values else None
        if found:
            model[field] = found
    return model
