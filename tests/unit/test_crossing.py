"""Crossing tests: the risk register, contracts and grants, and benchmarks reached through the ways in
that are not their own pages (Excel export and import, the comparator CSV import, embeds, the command
line), with Lancashire and Northamptonshire side by side in one database. Lancashire's people aim at
Northamptonshire's records by id, in callback bodies, files and commands; nothing of Northamptonshire
comes back and nothing of it changes. Each test has a control showing the same request does work for
the records' own partnership."""

from __future__ import annotations

import io
import json

from dash import ALL
from openpyxl import load_workbook
from sqlmodel import Session, select

from tests.crafted import call_callback, db_fingerprint, form_body, signed_in_client, stringify_id
from tests.unit.test_benchmarks import _catalogue
from tests.unit.test_partnership_isolation import _northants, _page
from tests.unit.test_security import csrf_cookie, router_call
from tracker.cli import main as cli
from tracker.config import PROJECT_ROOT
from tracker.models import ComparatorValue, EmbedToken, Funding, Partnership, Person, Risk, RiskFunding, Theme
from tracker.services import benchmarks, embeds, excel
from tracker.services.errors import InvalidInput

LANCS_ADMIN, LANCS_CHAIR = "admin@lancashire.example.org", "chair@lancashire.example.org"
NORTHANTS_ADMIN = "admin@cdp.example.org"
PROFILES_EXPORT = PROJECT_ROOT / "tests" / "fixtures" / "fingertips_export.csv"
DATRIG = "Drug and Alcohol Treatment and Recovery Improvement Grant (DATRIG)"


def _person(engine, email: str) -> Person:
    with Session(engine, expire_on_commit=False) as s:
        return s.exec(select(Person).where(Person.email == email)).one()


def _lancs(engine) -> dict:
    with Session(engine) as s:
        pid = s.exec(select(Partnership.id).where(Partnership.slug == "lancashire")).one()
        risk = s.exec(select(Risk).where(Risk.partnership_id == pid, Risk.ref == "R-01")).one()
        grant = s.exec(select(Funding).where(Funding.partnership_id == pid, Funding.kind == "grant")).first()
        theme = s.exec(select(Theme).where(Theme.partnership_id == pid)).first()
        return {"pid": pid, "risk": risk, "grant": grant, "theme": theme}


def _northants_grant(engine) -> Funding:
    with Session(engine) as s:
        return s.exec(select(Funding).where(Funding.name == DATRIG).order_by(Funding.id)).first()


def _workbook_text(content: bytes) -> str:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
                     if v is not None) + "\n" + (wb.properties.title or "")


def _downloaded(reply) -> bytes:
    assert reply.status_code == 200 and reply.data[:2] == b"PK", reply.status_code  # a workbook (a zip)
    return reply.data


# --- The risk register and the funding page ---------------------------------------------------------


def test_each_partnerships_risks_and_money_pages_show_its_own_records_only(both):
    engine, app = both
    n, lancs = _northants(engine), _lancs(engine)
    lancs_body = _page(signed_in_client(app, LANCS_CHAIR), "/risks")
    assert lancs["risk"].title in lancs_body  # the control: Lancashire sees its own register
    assert n["risk"].title not in lancs_body and "SSMTRG) ends" not in lancs_body
    north_body = _page(signed_in_client(app, NORTHANTS_ADMIN), "/risks")
    assert n["risk"].title in north_body and lancs["risk"].title not in north_body
    money = _page(signed_in_client(app, LANCS_CHAIR), "/funding")
    assert "We Are With You" in money and DATRIG not in money and "Substance 2 Solution" not in money


def test_a_crafted_add_risk_naming_the_other_partnerships_grant_and_owner_is_refused(both):
    engine, app = both
    grant, north_owner = _northants_grant(engine), _person(engine, NORTHANTS_ADMIN)
    fields = {"ref": "R-09", "title": "Crossing over", "owner_id": str(north_owner.id),
              "inherent_likelihood": "3", "inherent_impact": "3", "residual_likelihood": "2", "residual_impact": "2"}
    body = form_body("risk-new", fields) | {
        (stringify_id({"type": "risk-new-funding", "index": ALL}), "value"): [
            ({"type": "risk-new-funding", "index": grant.id}, True)],
        ("risk-refresh", "data"): 0}
    client = signed_in_client(app, LANCS_CHAIR)
    before = db_fingerprint(engine)
    reply = call_callback(client, ("risk-new-submit", "n_clicks", 1), body)
    assert reply.status == 200
    assert "Choose an owner from this partnership" in reply.strings
    assert "Link only contracts and grants of this partnership" in reply.strings
    assert db_fingerprint(engine) == before


def test_a_crafted_link_or_re_rating_of_the_other_partnerships_risk_finds_nothing(both):
    engine, app = both
    n, lancs = _northants(engine), _lancs(engine)
    client = signed_in_client(app, LANCS_CHAIR)
    before = db_fingerprint(engine)
    for risk_id, grant_id in ((n["risk"].id, lancs["grant"].id), (lancs["risk"].id, _northants_grant(engine).id)):
        reply = call_callback(client, ("risk-link-save", "n_clicks", 1), {
            (stringify_id({"form": "risk-rerate", "field": "risk"}), "value"): str(risk_id),
            (stringify_id({"type": "risk-link", "index": ALL}), "value"): [({"type": "risk-link", "index": grant_id},
                                                                           True)],
            ("risk-refresh", "data"): 0})
        assert reply.status == 200
        assert ("There is no such risk" in reply.strings or "of this partnership" in reply.strings), reply.strings
    rerate = form_body("risk-rerate", {"risk": str(n["risk"].id), "inherent_likelihood": "1", "inherent_impact": "1",
                                       "residual_likelihood": "1", "residual_impact": "1", "review_date": "",
                                       "reason": "Crossing over to another partnership"})
    reply = call_callback(client, ("risk-rerate-save", "n_clicks", 1),
                          rerate | {("risk-rerate-version", "data"): 1, ("risk-refresh", "data"): 0})
    assert reply.status == 200 and "There is no such risk" in reply.strings
    assert db_fingerprint(engine) == before
    # The control: Lancashire's chair links its own risk to its own grant.
    reply = call_callback(client, ("risk-link-save", "n_clicks", 1), {
        (stringify_id({"form": "risk-rerate", "field": "risk"}), "value"): str(lancs["risk"].id),
        (stringify_id({"type": "risk-link", "index": ALL}), "value"): [({"type": "risk-link",
                                                                         "index": lancs["grant"].id}, True)],
        ("risk-refresh", "data"): 0})
    assert "Saved the contracts and grants of R-01" in reply.strings


# --- Excel export and import ------------------------------------------------------------------------


def test_the_excel_export_holds_only_the_own_partnership_even_filtered_by_the_others_theme(both):
    engine, app = both
    n = _northants(engine)
    client = signed_in_client(app, LANCS_CHAIR)
    whole = _workbook_text(_downloaded(client.get("/plan/export.xlsx")))
    assert "PREV-01" in whole and "Lancashire" in whole  # the control: its own plan is there
    filtered = _workbook_text(_downloaded(client.get(
        f"/plan/overview.xlsx?theme={n['theme'].id}&subgroup={n['subgroup'].id}")))
    for text in (whole, filtered):
        for secret in ("Northamptonshire", n["action"].title, n["action"].ref, n["subgroup"].name):
            assert secret not in text
    north = _workbook_text(_downloaded(signed_in_client(app, NORTHANTS_ADMIN).get("/plan/export.xlsx")))
    assert n["action"].title in north and "PREV-01" not in north


def test_importing_the_other_partnerships_plan_is_refused_row_by_row_and_changes_nothing(both, today):
    engine, _app = both
    with Session(engine) as s:
        north_file = excel.export_plan(s, _person(engine, NORTHANTS_ADMIN), today).content
    before = db_fingerprint(engine)
    with Session(engine) as s:
        lancs_admin = s.exec(select(Person).where(Person.email == LANCS_ADMIN)).one()
        try:
            excel.import_plan(s, lancs_admin, north_file, today, filename="northants.xlsx")
            raise AssertionError("Lancashire imported Northamptonshire's plan")
        except excel.PlanImportRejected as exc:
            assert exc.errors and all(e.column in ("Ref", "Subgroup", "Owner", "Objective") for e in exc.errors)
            assert "there is no action" in exc.errors[0].message
        s.rollback()
    assert db_fingerprint(engine) == before


# --- Benchmarks: the comparator import -------------------------------------------------------------


def test_a_profiles_export_matches_only_the_importers_own_indicators(both):
    engine, _app = both
    content = PROFILES_EXPORT.read_bytes()
    with Session(engine) as s:  # Northamptonshire's officer gives two indicators the profiles' ids
        _catalogue(s, _northants(engine)["pid"])
        s.commit()
    before = db_fingerprint(engine)
    with Session(engine) as s:
        try:
            benchmarks.import_csv(s, s.exec(select(Person).where(Person.email == LANCS_ADMIN)).one(), content)
            raise AssertionError("Lancashire's import wrote Northamptonshire's comparators")
        except InvalidInput as exc:
            assert "No row matched" in str(exc)
        s.rollback()
    assert db_fingerprint(engine) == before
    with Session(engine) as s:  # the control: the same file imports for Northamptonshire
        parsed = benchmarks.import_csv(s, s.exec(select(Person).where(Person.email == NORTHANTS_ADMIN)).one(),
                                       content)
        assert parsed.rows and s.exec(select(ComparatorValue)).first() is not None
    benchmarks_page = _page(signed_in_client(_app, LANCS_CHAIR), "/indicators/benchmarks")
    assert "East Midlands" not in benchmarks_page and "North Northamptonshire" not in benchmarks_page


# --- Embeds and the command line --------------------------------------------------------------------


def test_an_embed_token_never_opens_the_other_partnerships_theme(both):
    engine, app = both
    n = _northants(engine)
    with Session(engine) as s:
        lancs_admin = s.exec(select(Person).where(Person.email == LANCS_ADMIN)).one()
        try:
            embeds.create_embed_token(s, lancs_admin, f"theme:{n['theme'].id}", "Crossing")
            raise AssertionError("a token for another partnership's theme was made")
        except (InvalidInput, embeds.NotFound):
            s.rollback()
        _, overview = embeds.create_embed_token(s, lancs_admin, "overview", "Intranet")
        s.commit()
    client = app.server.test_client()  # an intranet visitor without an account
    opened = client.get(f"/embed/overview?token={overview}")
    assert opened.status_code == 200

    def router(path: str) -> str:
        reply = client.post("/_dash-update-component", json=router_call(path, f"?token={overview}"),
                            headers={"X-CSRFToken": csrf_cookie(client)})
        assert reply.status_code == 200
        return json.dumps(reply.get_json(), ensure_ascii=False)

    assert "Lancashire" in router("/embed/overview")  # the control: the token opens its own overview
    for path in (f"/embed/theme/{n['theme'].id}", f"/embed/subgroup/{n['subgroup'].id}"):
        page = client.get(f"{path}?token={overview}")
        assert page.status_code == 403 and "This view cannot be shown" in page.get_data(as_text=True)
        body = router(path)  # the page router, asked by the visitor the overview let in
        assert "embed-refused" in body
        assert n["theme"].name not in body and n["subgroup"].name not in body and "Northamptonshire" not in body


def test_the_command_line_keeps_each_admin_to_their_own_partnership(both, capsys):
    engine, _app = both
    n = _northants(engine)
    assert cli(["embed-token", "create", "--admin", LANCS_ADMIN, "--scope", f"theme:{n['theme'].id}",
                "--label", "Crossing"], engine=engine) == 1
    assert "Embed token" not in capsys.readouterr().out
    with Session(engine) as s:
        assert s.exec(select(EmbedToken)).all() == []
    assert cli(["embed-token", "create", "--admin", NORTHANTS_ADMIN, "--scope", f"theme:{n['theme'].id}",
                "--label", "Theme page"], engine=engine) == 0  # the control
    capsys.readouterr()
    assert cli(["embed-token", "list", "--admin", LANCS_ADMIN], engine=engine) == 0
    assert capsys.readouterr().out.strip() == "No embed tokens."
    assert cli(["embed-token", "list", "--admin", NORTHANTS_ADMIN], engine=engine) == 0
    assert "Theme page" in capsys.readouterr().out


def test_risk_links_of_both_seeds_stay_inside_their_partnership(both):
    engine, _app = both
    with Session(engine) as s:
        crossed = s.exec(select(RiskFunding).join(Risk, Risk.id == RiskFunding.risk_id)
                         .join(Funding, Funding.id == RiskFunding.funding_id)
                         .where(Risk.partnership_id != Funding.partnership_id)).all()
        linked = s.exec(select(Risk.partnership_id).join(RiskFunding, RiskFunding.risk_id == Risk.id)).all()
    assert crossed == [] and len(set(linked)) == 2  # both seeds link risks to money, each its own
