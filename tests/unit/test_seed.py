"""The seed loader: the real Northamptonshire seed loads, loads once only, and a broken seed is refused
with a message naming the file, the record and the field, with nothing written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel
from sqlmodel import select as sm_select

from tests.conftest import DEMO_EMAILS, DEMO_PASSWORD, MINI_SEED_DIR, empty_engine
from tracker.models import (
    Action,
    Objective,
    Outcome,
    Partnership,
    Person,
    RagLevel,
    StatusUpdate,
    Subgroup,
    Theme,
)
from tracker.seed import SeedError, read_seed_dir, seed_database
from tracker.services.auth import authenticate


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }


def count(session: Session, model) -> int:
    return session.exec(sm_select(func.count()).select_from(model)).one()


# --- The real seed -----------------------------------------------------------------------------


def test_real_seed_loads(session):
    partnership = session.exec(sm_select(Partnership)).one()
    assert partnership.slug == "northamptonshire"
    assert count(session, Theme) == 4
    assert count(session, Outcome) == 6
    assert count(session, Objective) > 0
    assert count(session, Subgroup) > 0
    assert count(session, Action) > 0
    assert count(session, StatusUpdate) > 0
    codes = {r.code for r in session.exec(sm_select(RagLevel))}
    assert {"green", "amber", "red"} <= codes


@pytest.mark.parametrize("role", ["admin", "chair", "lead", "owner", "viewer"])
def test_demo_accounts_can_sign_in(session, role):
    person = authenticate(session, DEMO_EMAILS[role], DEMO_PASSWORD)
    assert person is not None, f"{DEMO_EMAILS[role]} cannot sign in with the demo password"
    assert authenticate(session, DEMO_EMAILS[role], "wrong-password") is None


def test_demo_accounts_have_the_roles_the_readme_promises(admin, chair, lead, owner, viewer, session):
    assert (admin.role, chair.role, viewer.role) == ("admin", "chair", "viewer")
    assert lead.role == owner.role == "member"
    led = session.exec(sm_select(Subgroup).where(Subgroup.lead_id == lead.id)).all()
    assert any("treatment" in s.name.lower() for s in led), "lead@ should lead the treatment and recovery subgroup"
    owned = session.exec(sm_select(Action).where(Action.owner_id == owner.id)).all()
    assert owned, "owner@ should own some actions"


def test_every_seed_file_parses(seed_dir):
    data = read_seed_dir(seed_dir)
    assert data["partnership.yaml"].slug == "northamptonshire"
    assert data["actions.yaml"]


def test_loading_twice_writes_nothing_the_second_time(engine, seed_dir):
    before = row_counts(engine)
    assert before["action"] > 0
    assert seed_database(engine, seed_dir) is False
    assert row_counts(engine) == before


def test_mini_seed_loads_every_kind_of_record(mini_engine):
    counts = row_counts(mini_engine)
    for table in ("partnership", "raglevel", "person", "theme", "outcome", "objective", "objectiveoutcome",
                  "subgroup", "subgrouptheme", "subgroupmember", "termsofreference", "torinterdependency",
                  "indicator", "indicatorvalue", "action", "actionoutcome", "actionindicator", "statusupdate",
                  "funding", "maturityframework", "maturitylevel", "maturitydimension", "maturitydescriptor"):
        assert counts[table] > 0, f"the mini seed wrote no {table}"
    assert seed_database(mini_engine, MINI_SEED_DIR) is False
    assert row_counts(mini_engine) == counts


def test_passwords_are_hashed_not_stored(mini_session):
    person = mini_session.exec(sm_select(Person).where(Person.email == DEMO_EMAILS["chair"])).one()
    assert person.password_hash.startswith("$argon2id$")
    assert DEMO_PASSWORD not in person.password_hash


# --- Broken seeds ------------------------------------------------------------------------------


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def save_yaml(path: Path, data) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edit(seed: Path, file: str, change: Callable) -> str:
    """Apply `change` to the parsed file and save it; returns the name of the record changed."""
    data = load_yaml(seed / file)
    what = change(data)
    save_yaml(seed / file, data)
    return what


def first(records: list[dict], has: Callable[[dict], bool]) -> dict:
    return next(r for r in records if has(r))


def due_before_start(actions):
    action = first(actions, lambda a: a.get("start_date"))
    start = action["start_date"]
    start = start if isinstance(start, date) else date.fromisoformat(str(start))
    action["due_date"] = start - timedelta(days=1)
    return action["ref"]


def unknown_subgroup(actions):
    actions[0]["subgroup"] = "NOSUCH"
    return actions[0]["ref"]


def bad_rag(actions):
    action = first(actions, lambda a: a.get("updates"))
    action["updates"][0]["rag"] = "purple"
    return action["ref"]


def bad_progress(actions):
    action = first(actions, lambda a: a.get("updates"))
    action["updates"][0]["progress"] = 150
    return action["ref"]


def bad_status(actions):
    actions[0]["status"] = "nearly_done"
    return actions[0]["ref"]


def misspelt_field(actions):
    actions[0]["due_dat"] = actions[0].pop("due_date", "2027-03-31")
    return actions[0]["ref"]


def duplicate_ref(actions):
    actions[1]["ref"] = actions[0]["ref"]
    return actions[0]["ref"]


def unknown_owner(actions):
    actions[0]["owner"] = "nobody@example.org"
    return actions[0]["ref"]


def unknown_lead(subgroups):
    subgroups[0]["lead"] = "nobody@example.org"
    return subgroups[0]["code"]


def unknown_theme(objectives):
    objectives[0]["theme"] = 99
    return objectives[0]["code"]


def bad_role(people):
    people[0]["role"] = "superuser"
    return people[0]["email"]


def unknown_sector(people):
    people[0]["sector"] = "aliens"  # not a code of tracker.domain.SECTORS
    return people[0]["email"]


def bad_email(people):
    people[1]["email"] = "not-an-email"
    return "not-an-email"


def database_id(subgroups):
    subgroups[0]["lead_id"] = 1  # a file cannot know ids: it names the lead by email
    return subgroups[0]["code"]


def bad_colour(partnership):
    partnership["rag_levels"][0]["colour"] = "green"
    return "rag_levels"


# (file, change, the field the message must name)
BROKEN = [
    ("actions.yaml", due_before_start, "due_date"),
    ("actions.yaml", unknown_subgroup, "subgroup"),
    ("actions.yaml", bad_rag, "rag"),
    ("actions.yaml", bad_progress, "progress"),
    ("actions.yaml", bad_status, "status"),
    ("actions.yaml", misspelt_field, "due_dat"),
    ("actions.yaml", duplicate_ref, "ref"),
    ("actions.yaml", unknown_owner, "owner"),
    ("subgroups.yaml", unknown_lead, "lead"),
    ("objectives.yaml", unknown_theme, "theme"),
    ("people.yaml", bad_role, "role"),
    ("people.yaml", unknown_sector, "sector"),
    ("people.yaml", bad_email, "email"),
    ("partnership.yaml", bad_colour, "colour"),
    ("subgroups.yaml", database_id, "lead_id"),
]


@pytest.fixture
def seed_copy(tmp_path, seed_dir) -> Path:
    copy = tmp_path / "seed"
    shutil.copytree(seed_dir, copy)
    return copy


@pytest.mark.parametrize(("file", "change", "field"), BROKEN, ids=[c.__name__ for _, c, _ in BROKEN])
def test_broken_seed_is_refused_with_a_precise_message(seed_copy, file, change, field):
    record = edit(seed_copy, file, change)
    engine = empty_engine()
    empty = row_counts(engine)

    with pytest.raises(SeedError) as caught:
        seed_database(engine, seed_copy)

    message = str(caught.value)
    assert file in message, message
    assert field in message, message
    if file != "partnership.yaml":
        assert str(record) in message, f"the message does not name the record {record!r}: {message}"
    assert row_counts(engine) == empty, "a refused seed must write nothing"


def test_missing_file_is_named(seed_copy):
    (seed_copy / "subgroups.yaml").unlink()
    with pytest.raises(SeedError, match=r"subgroups\.yaml.*missing"):
        seed_database(empty_engine(), seed_copy)


def test_invalid_yaml_is_named(seed_copy):
    (seed_copy / "themes.yaml").write_text("- number: 1\n  name: [unclosed\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"themes\.yaml.*not valid YAML"):
        seed_database(empty_engine(), seed_copy)


def test_a_file_that_is_not_a_list_is_refused(seed_copy):
    (seed_copy / "themes.yaml").write_text("number: 1\nname: Just one\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"themes\.yaml.*list"):
        seed_database(empty_engine(), seed_copy)


def test_a_failure_while_writing_writes_nothing(seed_copy, monkeypatch):
    """A failure after validation, part-way through writing (here: at the first action), rolls back
    everything already written in the same load: the partnership, people, themes, subgroups."""
    import tracker.seed.load as seed_module

    def disk_full(*args, **kwargs):
        raise RuntimeError("the disk is full")

    engine = empty_engine()
    empty = row_counts(engine)
    monkeypatch.setattr(seed_module.models, "Action", disk_full)  # the loader builds models.Action rows
    with pytest.raises(RuntimeError, match="disk is full"):
        seed_database(engine, seed_copy)
    assert row_counts(engine) == empty
