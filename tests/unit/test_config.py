"""Settings and the start: the laptop default is easy, a production start is safe, bad values are named."""

from __future__ import annotations

import pytest
from sqlmodel import (
    Session,  # noqa: I001
    func,
    select,
)

from tracker import migrate
from tracker.cli import main as cli
from tracker.config import DEFAULT_DATABASE_URL, Settings, SettingsError
from tracker.db import make_engine
from tracker.models import Partnership, Person
from tracker.startup import prepare_database
from tracker.web.app import create_app

STRONG = "x" * 8 + "a-long-random-production-secret-key"


@pytest.fixture(autouse=True)
def _no_tracker_env(monkeypatch):
    import os

    for name in list(os.environ):
        if name.startswith("TRACKER_") or name == "SERVER_SOFTWARE":
            monkeypatch.delenv(name)


def test_the_laptop_default_loads_demo_accounts_and_is_not_production():
    s = Settings()
    assert s.database_url == DEFAULT_DATABASE_URL and not s.production and s.load_demo_accounts
    assert [p.name for p in s.seed_dirs] == ["northamptonshire", "lancashire"]  # both example partnerships
    s.check_production()  # nothing to refuse


@pytest.mark.parametrize("env", [{"TRACKER_DATABASE_URL": "postgresql://db/tracker"},
                                 {"SERVER_SOFTWARE": "gunicorn/23.0.0"}, {"TRACKER_ENV": "production"}])
def test_a_production_start_needs_a_strong_secret_and_never_loads_demo_accounts(monkeypatch, env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s = Settings.from_env()
    assert s.production and not s.load_demo_accounts
    with pytest.raises(SettingsError, match="TRACKER_SECRET_KEY"):
        s.check_production()
    monkeypatch.setenv("TRACKER_SECRET_KEY", STRONG)
    Settings.from_env().check_production()
    monkeypatch.setenv("TRACKER_DEMO", "true")
    with pytest.raises(SettingsError, match="TRACKER_DEMO"):
        Settings.from_env().check_production()


def test_a_bad_value_is_named_with_what_was_given(monkeypatch):
    monkeypatch.setenv("TRACKER_PORT", "eighty")
    monkeypatch.setenv("TRACKER_SMTP_TLS", "maybe")
    with pytest.raises(SettingsError) as refused:
        Settings.from_env()
    assert "TRACKER_PORT" in str(refused.value) and "'eighty'" in str(refused.value)
    assert "TRACKER_SMTP_TLS" in str(refused.value)


def test_lists_and_the_prefix_are_read_as_people_write_them(monkeypatch):
    monkeypatch.setenv("TRACKER_FRAME_ANCESTORS", "https://intranet.example.gov.uk, https://other.example")
    monkeypatch.setenv("TRACKER_URL_PREFIX", "cdp-tracker")
    monkeypatch.setenv("TRACKER_SEED_DIR", "seeds/northamptonshire seeds/lancashire")
    s = Settings.from_env()
    assert s.frame_ancestors == ["https://intranet.example.gov.uk", "https://other.example"]
    assert s.url_prefix == "/cdp-tracker/" and [p.name for p in s.seed_dirs] == ["northamptonshire", "lancashire"]


def test_a_production_worker_refuses_an_unmigrated_database_and_a_laptop_start_migrates(tmp_path):
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    production = Settings(database_url=url, secret_key=STRONG, env="production")
    with pytest.raises(SettingsError, match="tracker.cli init"):
        prepare_database(make_engine(url), production)
    with pytest.raises(SettingsError, match="TRACKER_SECRET_KEY"):
        create_app(Settings(database_url=url, secret_key="test", env="production"))
    laptop = make_engine(f"sqlite:///{tmp_path / 'laptop.db'}")
    prepare_database(laptop, Settings(database_url=str(laptop.url), env="laptop"))
    assert migrate.current(laptop) == migrate.head()
    with Session(laptop) as s:  # both example partnerships, each with its five demo accounts
        demo = s.exec(select(Partnership.slug, func.count()).join(Person, Person.partnership_id == Partnership.id)
                      .where(Person.password_hash.is_not(None)).group_by(Partnership.slug)).all()
        assert dict(demo) == {"northamptonshire": 5, "lancashire": 5}
    prepare_database(laptop, Settings(database_url=str(laptop.url), env="laptop"))  # the next start adds nothing
    with Session(laptop) as s:
        assert s.exec(select(func.count()).select_from(Partnership)).one() == 2


def test_init_migrates_and_seeds_without_demo_accounts_and_commands_need_it(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    assert cli(["embed-token", "list", "--admin", "admin@cdp.example.org"]) == 1
    assert "tracker.cli init" in capsys.readouterr().err
    assert cli(["init"]) == 0
    assert "without demo accounts" in capsys.readouterr().out
    engine = make_engine(url)
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(Person)).one() > 5
        assert s.exec(select(func.count()).select_from(Person).where(Person.password_hash.is_not(None))).one() == 0
    assert cli(["init"]) == 0  # a second run changes nothing
    engine.dispose()


def test_ready_says_whether_the_database_answers(engine):
    app = create_app(Settings(database_url="sqlite://", seed_on_start=False, secret_key="test"), engine=engine)
    client = app.server.test_client()
    assert client.get("/ready").status_code == 200
    app.server.config["TRACKER_ENGINE"] = make_engine("postgresql://nobody@127.0.0.1:1/none")  # nothing listens
    reply = client.get("/ready")
    assert reply.status_code == 503 and reply.get_json()["database"] == "unreachable"
