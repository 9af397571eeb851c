"""Load a partnership's risk register from its seed file (risks.yaml), through the same input model
and rules as the page; called by the seed loader inside its transaction, so all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from sqlmodel import Session, select

from tracker.models import Action, Funding, Person, Theme
from tracker.rules.clock import uk_today
from tracker.services.errors import InvalidInput
from tracker.services.risks.changes import add_risk


class RiskSeedError(ValueError):
    pass


def load_risks(session: Session, partnership_id: int, seed_dir: Path, today: date | None = None) -> int:
    path = seed_dir / "risks.yaml"
    if not path.exists():
        return 0
    records = yaml.safe_load(path.read_text()) or []
    people = dict(session.exec(select(Person.email, Person.id).where(Person.partnership_id == partnership_id)).all())
    themes = dict(session.exec(select(Theme.number, Theme.id).where(Theme.partnership_id == partnership_id)).all())
    refs = dict(session.exec(select(Action.ref, Action.id).where(Action.partnership_id == partnership_id)).all())
    money: dict[str, list[int]] = {}  # a name links every year of that contract or grant
    for name, fid in session.exec(select(Funding.name, Funding.id).where(Funding.partnership_id == partnership_id)):
        money.setdefault(name, []).append(fid)
    for n, record in enumerate(records, start=1):
        where = f"{path.name}, risk {n} ({record.get('ref', 'no ref')})"
        data = dict(record)
        try:
            owner = data.pop("owner", None)
            theme = data.pop("theme", None)
            data["owner_id"] = people[owner] if owner else None
            data["theme_id"] = themes[theme] if theme is not None else None
            data["action_ids"] = [refs[ref] for ref in data.pop("actions", [])]
            data["funding_ids"] = [fid for name in data.pop("funding", []) for fid in money[name]]
        except KeyError as exc:
            raise RiskSeedError(f"{where}: there is no {exc.args[0]!r} in this partnership") from None
        data["partnership_id"] = partnership_id
        try:
            rated_on = data.pop("rated_on", None) or today or uk_today()
            add_risk(session, None, data, rated_on, system=True)
        except InvalidInput as exc:
            raise RiskSeedError(f"{where}: {exc}") from None
    return len(records)
