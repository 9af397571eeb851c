"""The page callbacks answer what the reader does, never the page being drawn (tracker.web.callbacks)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine

from tests.conftest import DEMO_EMAILS
from tests.crafted import give_password, signed_in_client
from tracker.web.callbacks import noted


def test_no_page_callback_runs_when_its_page_is_drawn(mini_engine: Engine):
    """dash-renderer calls on load every callback not marked prevent_initial_call: a save or an upload
    would run when the page opens. Every page callback is marked, none of them saying so itself."""
    from tracker.config import Settings
    from tracker.web.app import create_app

    give_password(mini_engine, DEMO_EMAILS["admin"])
    app = create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"),
                     engine=mini_engine, today=date(2026, 11, 23))
    dependencies = signed_in_client(app, DEMO_EMAILS["admin"]).get("/_dash-dependencies").get_json()
    ours = [d for d in dependencies if "_pages_" not in d["output"]]
    assert len(ours) >= len(noted()) > 50
    assert [d["output"] for d in ours if not d.get("prevent_initial_call")] == []
