"""The second partnership: Lancashire loads beside Northamptonshire, with its own scale and people."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SEED_DIR, seeded_engine
from tracker.config import PROJECT_ROOT
from tracker.models import Action, Partnership, Person, RagLevel
from tracker.seed import seed_database

LANCASHIRE = PROJECT_ROOT / "seeds" / "lancashire"


def test_lancashire_loads_beside_northamptonshire_with_its_own_scale_and_accounts():
    engine = seeded_engine(SEED_DIR)
    assert seed_database(engine, LANCASHIRE) is True
    assert seed_database(engine, LANCASHIRE) is False  # never twice
    with Session(engine) as s:
        lancs = s.exec(select(Partnership).where(Partnership.slug == "lancashire")).one()
        assert "Alcohol" in lancs.name and lancs.rag_scale == "delivery_confidence"
        codes = s.exec(select(RagLevel.code).where(RagLevel.partnership_id == lancs.id)
                       .order_by(RagLevel.sort_order)).all()
        assert codes[:5] == ["green", "amber_green", "amber", "amber_red", "red"]
        admin = s.exec(select(Person).where(Person.email == "admin@lancashire.example.org")).one()
        assert admin.partnership_id == lancs.id and admin.role == "admin" and admin.password_hash
        refs = s.exec(select(Action.ref).where(Action.partnership_id == lancs.id)).all()
        assert sorted(refs) == ["PREV-01", "PREV-02", "TREAT-01", "TREAT-02", "TREAT-03"]
    engine.dispose()
