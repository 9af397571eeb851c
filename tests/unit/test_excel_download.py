"""The plan's workbook as a file download (tracker.web.downloads): what the export page's and the
overview's links fetch. The workbook's own content is tested in test_excel_export.py; here, that the
link gives the same workbook the export service builds, for the whole plan or the overview's filter,
only to the signed in, and that an address that is not one gets a 400 that says so."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from tests.conftest import DEMO_EMAILS, TODAY
from tests.crafted import Reply, call_callback, signed_in_client
from tests.web_client import make_app, router_call
from tracker.models import Subgroup, Theme
from tracker.services import excel, plan

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(engine):
    return make_app(engine)


@pytest.fixture
def viewer_client(app):
    return signed_in_client(app, DEMO_EMAILS["viewer"])


def cells(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cell values, row by row."""
    book = load_workbook(io.BytesIO(content))
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def plan_refs(content: bytes) -> list[str]:
    return [row[0] for row in cells(content)["Plan"][1:]]


def test_the_whole_plan_downloads_as_the_export_builds_it(viewer_client, session, viewer, partnership):
    reply = viewer_client.get("/plan/export.xlsx")
    assert reply.status_code == 200 and reply.mimetype == XLSX
    disposition = reply.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and excel.export_filename(partnership, TODAY) in disposition
    assert reply.headers["Cache-Control"] == "no-store"  # the plan is not kept in a shared cache
    assert cells(reply.data) == cells(excel.export_plan(session, viewer, TODAY).content)
    assert "SUP-04" in plan_refs(reply.data)  # the whole plan: the cancelled action too


def test_the_overviews_download_has_the_overviews_filter(viewer_client, session, viewer):
    supply = session.exec(select(Subgroup).where(Subgroup.code == "SUP")).one()
    reply = viewer_client.get(f"/plan/overview.xlsx?subgroup={supply.id}&theme=&owner=")
    assert reply.status_code == 200
    refs = plan_refs(reply.data)
    assert refs and all(ref.startswith("SUP-") for ref in refs) and "SUP-04" not in refs
    assert cells(reply.data) == cells(excel.export_plan(session, viewer, TODAY,
                                                        plan.PlanFilter(subgroup_id=supply.id)).content)
    unfiltered = plan_refs(viewer_client.get("/plan/overview.xlsx").data)
    assert set(refs) < set(unfiltered) and "SUP-04" not in unfiltered  # as the overview: none cancelled


@pytest.mark.parametrize("search", ["theme=abc", "subgroup=1.5", f"owner={2**40}", "theme=-", "subgroup=%00"])
def test_an_address_whose_filter_is_no_record_number_is_a_400_saying_so(viewer_client, search):
    reply = viewer_client.get(f"/plan/overview.xlsx?{search}")
    assert reply.status_code == 400
    name = search.split("=")[0]
    assert f"The {name} in the address must be a record number" in reply.get_data(as_text=True)


def test_the_signed_out_are_sent_to_sign_in_and_come_back_to_the_file(app):
    reply = app.server.test_client().get("/plan/overview.xlsx?theme=1")
    assert reply.status_code == 302
    location = urlparse(reply.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query)["next"] == ["/plan/overview.xlsx?theme=1"]


def test_an_embedded_view_cannot_download_the_plan(app, session, admin):
    from tracker.services import embeds

    _, plain = embeds.create_embed_token(session, admin, "overview", "Intranet")
    session.commit()
    client = app.server.test_client()
    assert client.get(f"/embed/overview?token={plain}").status_code == 200  # the embed's own session
    for address in ("/plan/export.xlsx", f"/plan/export.xlsx?token={plain}", "/plan/overview.xlsx"):
        assert client.get(address).status_code == 302, address


def test_the_overviews_link_follows_its_filters(viewer_client, session):
    theme = session.exec(select(Theme)).first()
    reply = viewer_client.post("/_dash-update-component", json=router_call("/", f"?theme={theme.id}"),
                               headers={"X-CSRFToken": viewer_client.get_cookie("_csrf_token").value})
    assert f"/plan/overview.xlsx?theme={theme.id}\n" in Reply(reply.status_code, reply.get_data(as_text=True)).strings
    changed = call_callback(viewer_client, ("filter-subgroup", "value", "7"),
                            {("filter-theme", "value"): str(theme.id), ("filter-owner", "value"): ""},
                            output_contains="overview-export-button")
    assert changed.status == 200 and f"/plan/overview.xlsx?theme={theme.id}&subgroup=7" in changed.strings
