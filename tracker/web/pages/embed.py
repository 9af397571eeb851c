"""Read-only views to embed in an intranet page: the overview, one theme, one subgroup.

`/embed/overview`, `/embed/theme/<id>` and `/embed/subgroup/<id>` show what the app's own pages
show, without navigation (tracker.web.layout renders no navbar for them), without links and without
any form. A visitor needs either a session or a read-only token for exactly that view (`?token=`,
see tracker.services.embeds); the token is checked again here, on every render.

`?compact=1` is the short public version (no RAG key, no charts, for a subgroup only its RAG counts
and plan). A subgroup's member list is shown only if the partnership opts in (embeds.shows_members).
Every view ends with an "Open in the tracker" link, and assets/embed.js
posts the view's height to the host page so its iframe can fit it (docs/embedding.md).
"""

from __future__ import annotations

from collections.abc import Callable

import dash
from dash import dcc, html
from dash.development.base_component import Component

from tracker.formatting import long_date
from tracker.services import embeds, plan, reference
from tracker.services.errors import NotFound
from tracker.web.components.static_html import element, is_element
from tracker.web.context import current_person, db, page_title, today
from tracker.web.pages import overview as overview_page
from tracker.web.pages import subgroup as subgroup_page
from tracker.web.pages import theme as theme_page

TITLES = {"overview": "Embedded overview – CDP Delivery Tracker", "theme": "Embedded theme – CDP Delivery Tracker",
          "subgroup": "Embedded subgroup – CDP Delivery Tracker"}
# What a link keeps when it becomes plain text: everything but where it led.
_KEPT_PROPS = ("id", "className", "style", "title")


def unlinked(node):
    """The same component tree with every link turned into plain text (a span keeping the link's id,
    class, style and title): an embed has no navigation, and a reader without an account could not
    follow a link anyway. Rows written as their JSON (static_html) are rewritten the same way. The pages'
    renders take care of links that are not components (the subgroup page's grid)."""
    if isinstance(node, list | tuple):
        return [unlinked(child) for child in node]
    if is_element(node):
        props = node["props"]
        children = unlinked(props.get("children"))
        if node["type"] == "A":
            return element("Span", children, **{p: props[p] for p in _KEPT_PROPS if props.get(p) is not None})
        return {**node, "props": {**props, "children": children}}
    if not isinstance(node, Component):
        return node
    if isinstance(node, html.A | dcc.Link):
        kept = {prop: getattr(node, prop) for prop in _KEPT_PROPS if getattr(node, prop, None) is not None}
        return html.Span(unlinked(getattr(node, "children", None)), **kept)
    for prop in ("children", "header", "footer"):
        value = getattr(node, prop, None)
        if isinstance(value, Component | list | tuple) or is_element(value):
            setattr(node, prop, unlinked(value))
    return node


def compacted(node):
    """The tree without the RAG key and the charts (the tables beside them give the same figures)."""
    if isinstance(node, list | tuple):
        return [compacted(child) for child in node if not _dropped(child)]
    if not isinstance(node, Component):
        return node
    for prop in ("children", "header", "footer"):
        value = getattr(node, prop, None)
        if isinstance(value, Component | list | tuple):
            setattr(node, prop, None if _dropped(value) else compacted(value))
    return node


def _dropped(node) -> bool:
    return isinstance(node, dcc.Graph) or "rag-key" in (getattr(node, "className", None) or "").split()


def is_compact(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def partnership_for(session, token: str | None, scope: str) -> int | None:
    """Whose data this view shows: the token's partnership, else the signed-in person's."""
    if token:
        partnership_id = embeds.resolve(session, token, scope)
        if partnership_id is not None:
            return partnership_id
    person = current_person(session)
    return person.partnership_id if person else None


def refused() -> html.Div:
    return html.Div([
        html.H1("This view cannot be shown", className="h4", id="embed-refused"),
        html.P("The link of this embedded view is not valid, or it has been withdrawn. Ask the partnership "
               "officer for a new one."),
    ])


def frame(heading: str, body, session, partnership_id: int, view_id: str, page_path: str,
          compact: bool = False) -> html.Div:
    """The view's heading and body, and a footer linking to the tracker's own page of it (in a new tab:
    the iframe is the host's)."""
    partnership = reference.get_partnership(session, partnership_id)
    body = unlinked(body)
    return html.Div([
        html.H1(heading, className="h4", id="embed-heading"),
        html.Div(compacted(body) if compact else body, id=view_id),
        html.P([f"{partnership.name}. Read-only view from the CDP Delivery Tracker; figures as at "
                f"{long_date(today())}. ",
                html.A("Open in the tracker (new tab)", href=dash.get_relative_path(page_path), target="_blank",
                       rel="noopener", id="embed-open-link")],
               className="text-muted small mt-2 mb-0", id="embed-footer"),
    ], className="embed-view" + (" embed-compact" if compact else ""))


def embedded(kind: str, record_id, token: str | None, render: Callable[..., tuple[str, list]],
             compact: bool = False):
    """The embedded view of one theme or subgroup: `render(session, partnership_id, id)` gives its
    heading and body (the page's own, read-only). Refused unless the token (or the signed-in
    person) opens this very record."""
    number = _int(record_id)
    with db() as session:
        pid = partnership_for(session, token, embeds.scope_for(kind, number)) if number else None
        if pid is None:
            return refused()
        try:
            heading, body = render(session, pid, number, compact)
        except NotFound:
            return refused()
        return frame(heading, body, session, pid, f"embed-{kind}", f"/{kind}/{number}", compact)


# --- the three views -------------------------------------------------------------------------------


def overview_layout(token=None, compact=None, **_):
    with db() as session:
        pid = partnership_for(session, token, "overview")
        if pid is None:
            return refused()
        partnership = reference.get_partnership(session, pid)
        body = overview_page.render(session, pid, plan.PlanFilter())
        return frame(f"{partnership.name}: delivery overview", body, session, pid, "embed-overview", "/",
                     is_compact(compact))


def _theme(session, partnership_id: int, theme_id: int, _compact: bool = False) -> tuple[str, list]:
    theme = reference.get_theme(session, partnership_id, theme_id)
    return theme_page.heading(theme), theme_page.render(session, partnership_id, theme.id)


def _subgroup(session, partnership_id: int, subgroup_id: int, compact: bool = False) -> tuple[str, list]:
    subgroup = reference.get_subgroup(session, partnership_id, subgroup_id)
    # The member list (names, organisations) only where the partnership opted in (embeds.shows_members).
    return subgroup.name, subgroup_page.render(session, partnership_id, subgroup.id, links=False, compact=compact,
                                               members=embeds.shows_members(session, partnership_id))


def theme_layout(theme_id=None, token=None, compact=None, **_):
    return embedded("theme", theme_id, token, _theme, is_compact(compact))


def subgroup_layout(subgroup_id=None, token=None, compact=None, **_):
    return embedded("subgroup", subgroup_id, token, _subgroup, is_compact(compact))


# The browser title names the view; for a signed-in reader also its subject (a token's reader, who
# may not be signed in, gets the view's kind alone: the title is worked out without the token).
def _describe_overview(session, person, **_) -> str:
    return f"Embedded overview: {reference.get_partnership(session, person.partnership_id).name}"


def _describe_theme(session, person, theme_id=None, **_) -> str:
    return f"Embedded theme: {theme_page.heading(reference.get_theme(session, person.partnership_id, _int(theme_id) or 0))}"


def _describe_subgroup(session, person, subgroup_id=None, **_) -> str:
    return f"Embedded subgroup: {reference.get_subgroup(session, person.partnership_id, _int(subgroup_id) or 0).name}"


dash.register_page(f"{__name__}.overview", path="/embed/overview", name="Embedded overview",
                   title=page_title(TITLES["overview"], _describe_overview), layout=overview_layout)
dash.register_page(f"{__name__}.theme", path_template="/embed/theme/<theme_id>", name="Embedded theme",
                   title=page_title(TITLES["theme"], _describe_theme), layout=theme_layout)
dash.register_page(f"{__name__}.subgroup", path_template="/embed/subgroup/<subgroup_id>", name="Embedded subgroup",
                   title=page_title(TITLES["subgroup"], _describe_subgroup), layout=subgroup_layout)
