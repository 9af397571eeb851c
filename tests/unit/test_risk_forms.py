"""Adding a risk and linking risks to contracts and grants: every problem reported at once by field,
nothing written when refused, only the admin and the chair add, the links shown on both registers;
and the same through the page's callbacks as a browser (or a crafted request) would post them."""

from __future__ import annotations

import json

import pytest
from dash import ALL
from sqlmodel import Session, select

from tests.conftest import DEMO_EMAILS
from tests.crafted import call_callback, db_fingerprint, form_body, signed_in_client, stringify_id
from tracker.models import AuditEvent, Funding, Risk, RiskFunding, RiskRating
from tracker.services import funding, risks
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied

DATRIG = "Drug and Alcohol Treatment and Recovery Improvement Grant (DATRIG)"


def _new(**extra) -> dict:
    return {"ref": "R-06", "title": "Needle exchange pharmacies withdraw", "cause": "Fees not uplifted",
            "effect": "Fewer sites", "mitigation": "Review of fees", "owner_id": None, "theme_id": None,
            "inherent_likelihood": "4", "inherent_impact": "3", "residual_likelihood": "3", "residual_impact": "2",
            "review_date": "2027-01-31", "action_refs": "TR-01, tr-02"} | extra


def _funding_id(session, name: str = DATRIG) -> int:
    return session.exec(select(Funding.id).where(Funding.name == name).order_by(Funding.id)).first()


def test_the_chair_adds_a_risk_with_its_actions_by_ref_and_its_grant(session, chair, today):
    grant = _funding_id(session)
    added = risks.add_risk(session, chair, _new(funding_ids=[grant]), today)
    session.flush()
    row = next(r for r in risks.register(session, chair.partnership_id, today).rows if r.ref == "R-06")
    assert [ref for _, ref, _ in row.actions] == ["TR-01", "TR-02"]
    assert row.funding == [(grant, f"{DATRIG} (2025/26)")]
    assert row.residual_words.startswith("6 Medium") and row.history[0].reason == "First rating"
    item = next(i for i in funding.funding_register(session, chair.partnership_id, today).grants if i.id == grant)
    assert (added.id, "R-06", added.title) in item.risks  # the funding page shows it beside the grant
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Risk", AuditEvent.verb == "create")
                         .order_by(AuditEvent.id.desc())).first()
    assert event.actor_id == chair.id and "R-06" in event.summary


def test_every_problem_is_named_by_its_field_at_once_and_nothing_is_written(session, admin, today):
    before = session.exec(select(Risk)).all()
    with pytest.raises(InvalidInput) as refused:
        risks.add_risk(session, admin, _new(ref="R-01", title="", inherent_likelihood="", residual_impact="7",
                                            review_date="31/13/2026", action_refs="TR-01, XX-99"), today)
    errors = refused.value.errors
    assert set(errors) == {"ref", "title", "inherent_likelihood", "residual_impact", "review_date", "action_refs"}
    assert "already a risk R-01" in errors["ref"]
    assert errors["inherent_likelihood"] == errors["residual_impact"] == "Choose a whole number from 1 to 5"
    assert "XX-99" in errors["action_refs"] and "real date" in errors["review_date"]
    assert session.exec(select(Risk)).all() == before


def test_owner_theme_and_funding_of_another_partnership_are_refused(session, admin, today, engine):
    from tracker.config import PROJECT_ROOT
    from tracker.seed import seed_database

    seed_database(engine, PROJECT_ROOT / "seeds" / "lancashire", demo_accounts=False)
    with Session(engine) as other:
        from tracker.models import Partnership, Person, Theme
        lancs = other.exec(select(Partnership.id).where(Partnership.slug == "lancashire")).one()
        person = other.exec(select(Person.id).where(Person.partnership_id == lancs)).first()
        theme = other.exec(select(Theme.id).where(Theme.partnership_id == lancs)).first()
        grant = other.exec(select(Funding.id).where(Funding.partnership_id == lancs)).first()
    with pytest.raises(InvalidInput) as refused:
        risks.add_risk(session, admin, _new(owner_id=person, theme_id=theme, funding_ids=[grant]), today)
    assert set(refused.value.errors) == {"owner_id", "theme_id", "funding_ids"}


@pytest.mark.parametrize("who", ["lead", "owner", "viewer"])
def test_only_the_admin_and_the_chair_add_risks(session, request, today, who):
    with pytest.raises(PermissionDenied):
        risks.add_risk(session, request.getfixturevalue(who), _new(), today)


def test_linking_replaces_a_risks_contracts_and_grants_and_is_audited(session, chair, today):
    r01 = session.exec(select(Risk).where(Risk.ref == "R-01")).one()
    seeded = {link.funding_id for link in session.exec(select(RiskFunding).where(RiskFunding.risk_id == r01.id))}
    assert len(seeded) == 4  # SSMTRG county-wide (two years) and DATRIG (two years), from risks.yaml
    contract = _funding_id(session, "Adult structured treatment (Substance 2 Solution)")
    risks.link_funding(session, chair, r01.id, [contract])
    session.flush()
    row = next(r for r in risks.register(session, chair.partnership_id, today).rows if r.ref == "R-01")
    assert [fid for fid, _ in row.funding] == [contract]
    event = session.exec(select(AuditEvent).where(AuditEvent.entity_type == "Risk")
                         .order_by(AuditEvent.id.desc())).first()
    assert json.loads(event.before) == {"funding_ids": sorted(seeded)}
    assert json.loads(event.after) == {"funding_ids": [contract]}
    assert len(session.exec(select(RiskRating).where(RiskRating.risk_id == r01.id)).all()) == 1  # not a rating


def test_links_are_refused_for_a_viewer_an_unknown_risk_and_an_unknown_grant(session, chair, viewer):
    r01 = session.exec(select(Risk).where(Risk.ref == "R-01")).one()
    with pytest.raises(PermissionDenied):
        risks.link_funding(session, viewer, r01.id, [])
    with pytest.raises(NotFound):
        risks.link_funding(session, chair, 99_999, [])
    with pytest.raises(InvalidInput, match="contracts and grants of this partnership"):
        risks.link_funding(session, chair, r01.id, [99_999])
    with pytest.raises(InvalidInput):
        risks.link_funding(session, chair, r01.id, ["1"])


# --- The page's callbacks, posted as the browser would -----------------------------------------------

NEW_FIELDS = ("ref", "title", "cause", "effect", "mitigation", "owner_id", "theme_id", "inherent_likelihood",
              "inherent_impact", "residual_likelihood", "residual_impact", "review_date", "action_refs")


def _add_body(fields: dict, boxes: dict[int, bool]) -> dict:
    body = form_body("risk-new", {name: fields.get(name, "") for name in NEW_FIELDS})
    body |= {(stringify_id({"type": "risk-new-funding", "index": ALL}), "value"): [
        ({"type": "risk-new-funding", "index": fid}, checked) for fid, checked in boxes.items()]}
    body[("risk-refresh", "data")] = 0
    return body


def test_the_add_form_posted_by_the_chair_adds_the_risk_and_its_grant(app, db):
    with Session(db) as s:
        grant = _funding_id(s)
    client = signed_in_client(app, DEMO_EMAILS["chair"])
    reply = call_callback(client, ("risk-new-submit", "n_clicks", 1), _add_body(_new(), {grant: True}))
    assert reply.status == 200 and "Added risk R-06" in reply.strings
    with Session(db) as s:
        risk = s.exec(select(Risk).where(Risk.ref == "R-06")).one()
        assert s.exec(select(RiskFunding.funding_id).where(RiskFunding.risk_id == risk.id)).all() == [grant]


def test_a_bad_add_form_shows_each_error_beside_its_field_and_writes_nothing(app, db):
    client = signed_in_client(app, DEMO_EMAILS["admin"])
    before = db_fingerprint(db)
    reply = call_callback(client, ("risk-new-submit", "n_clicks", 1),
                          _add_body(_new(title="", residual_impact=""), {}))
    assert reply.status == 200
    assert "Nothing was saved" in reply.strings and "Choose a whole number from 1 to 5" in reply.strings
    assert db_fingerprint(db) == before


@pytest.mark.parametrize("who", ["viewer", "lead"])
def test_a_crafted_add_as_a_viewer_or_lead_is_refused_and_writes_nothing(app, db, who):
    client = signed_in_client(app, DEMO_EMAILS[who])
    before = db_fingerprint(db)
    reply = call_callback(client, ("risk-new-submit", "n_clicks", 1), _add_body(_new(), {}))
    assert reply.status == 200 and "Only the partnership officer or the chair" in reply.strings
    assert db_fingerprint(db) == before


def test_a_crafted_link_of_someone_elses_risk_is_refused_and_the_owners_is_saved(app, db):
    with Session(db) as s:
        r01 = s.exec(select(Risk).where(Risk.ref == "R-01")).one()
        grant = _funding_id(s, "Adult structured treatment (Substance 2 Solution)")
    body = {(stringify_id({"form": "risk-rerate", "field": "risk"}), "value"): str(r01.id),
            (stringify_id({"type": "risk-link", "index": ALL}), "value"): [
                ({"type": "risk-link", "index": grant}, True)],
            ("risk-refresh", "data"): 0}
    viewer, chair = signed_in_client(app, DEMO_EMAILS["viewer"]), signed_in_client(app, DEMO_EMAILS["chair"])
    before = db_fingerprint(db)
    reply = call_callback(viewer, ("risk-link-save", "n_clicks", 1), body)
    assert reply.status == 200 and "Only the risk's owner" in reply.strings
    assert db_fingerprint(db) == before
    reply = call_callback(chair, ("risk-link-save", "n_clicks", 1), body)
    assert "Saved the contracts and grants of R-01" in reply.strings
    with Session(db) as s:
        assert s.exec(select(RiskFunding.funding_id).where(RiskFunding.risk_id == r01.id)).all() == [grant]
