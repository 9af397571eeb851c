"""The plan's Excel workbook as a plain file download, not a Dash callback answer.

    GET {prefix}plan/export.xlsx                             the whole plan, cancelled actions included
    GET {prefix}plan/overview.xlsx?theme=&subgroup=&owner=   the plan as the overview shows it

A county ×10's workbook is 1.6 MB; sent through a callback it was 2.2 MB of base64 JSON held in the
page's memory (docs/performance.md, round 13). Here the browser receives the file itself and saves it
with its own progress bar, from an ordinary link that works from the keyboard and from a bookmark.
The sign-in guard (tracker.web.auth) answers a signed-out request, so only the signed-in reach these.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

import flask

from tracker.services import excel, plan
from tracker.services.errors import PermissionDenied
from tracker.web.components.forms import to_int
from tracker.web.context import current_person, db, today

OVERVIEW_FILTERS = ("theme", "subgroup", "owner")  # the overview's query string names (pages.overview)


def overview_workbook_search(theme=None, subgroup=None, owner=None) -> str:
    """The query string of the overview's download for these filters (ids or None)."""
    values = {"theme": theme, "subgroup": subgroup, "owner": owner}
    shown = {name: value for name, value in values.items() if value not in (None, "")}
    return f"?{urlencode(shown)}" if shown else ""


def _filter_from(args) -> plan.PlanFilter | str:
    """The overview's filter from the query string, or what is wrong with it (a 400's message)."""
    ids = {}
    for name in OVERVIEW_FILTERS:
        raw = args.get(name, "")
        if raw == "":
            ids[name] = None
            continue
        ids[name] = to_int(raw)
        if ids[name] is None:
            return f"The {name} in the address must be a record number, not {raw[:40]!r}: download from the overview again."
    return plan.PlanFilter(theme_id=ids["theme"], subgroup_id=ids["subgroup"], owner_id=ids["owner"])


def _send(plan_filter: plan.PlanFilter | None) -> flask.Response:
    try:
        with db(write=False) as session:  # it only reads: never SQLite's write lock, however long it takes
            file = excel.export_plan(session, current_person(session), today(), plan_filter)
    except PermissionDenied as exc:  # e.g. deactivated since the page was opened
        return flask.Response(str(exc), status=403, mimetype="text/plain")
    return flask.send_file(io.BytesIO(file.content), mimetype=file.media_type, as_attachment=True,
                           download_name=file.filename)


def install(server: flask.Flask, prefix: str) -> None:
    @server.route(f"{prefix}plan/export.xlsx")
    def whole_plan_workbook():
        return _send(None)

    @server.route(f"{prefix}plan/overview.xlsx")
    def overview_workbook():
        plan_filter = _filter_from(flask.request.args)
        if isinstance(plan_filter, str):
            return flask.Response(plan_filter, status=400, mimetype="text/plain")
        return _send(plan_filter)
