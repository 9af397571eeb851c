"""Load comparators and catalogue entries from a partnership's seed file (comparators.yaml), inside
the seed loader's transaction: a mistake names the record and nothing is written."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlmodel import Session, select

from tracker.models import ComparatorValue, Indicator, IndicatorCatalogue
from tracker.rules.benchmark import significance_code


class ComparatorSeedError(ValueError):
    pass


def load_comparators(session: Session, partnership_id: int, seed_dir: Path) -> int:
    path = seed_dir / "comparators.yaml"
    if not path.exists():
        return 0
    data = yaml.safe_load(path.read_text()) or {}
    codes = dict(session.exec(select(Indicator.code, Indicator.id).where(Indicator.partnership_id == partnership_id)).all())
    count = 0
    for n, record in enumerate(data.get("comparators", []), start=1):
        where = f"{path.name}, comparators record {n} ({record.get('indicator')})"
        if record.get("indicator") not in codes:
            raise ComparatorSeedError(f"{where}: there is no indicator {record.get('indicator')!r}")
        for kind in ("local", "region", "england"):
            figure = record.get(kind)
            if not figure:
                continue
            try:
                row = ComparatorValue.model_validate({
                    "indicator_id": codes[record["indicator"]], "period": str(record["period"]), "area_kind": kind,
                    "area_name": figure.get("name", {"local": "Local", "england": "England"}.get(kind, "")),
                    "value": figure.get("value"), "count": figure.get("count"), "worst": figure.get("worst"),
                    "best": figure.get("best"), "recent_trend": figure.get("trend", ""),
                    "significance": significance_code(figure.get("significance", "")),
                    "source": "004 needs overview, Appendix 1 (OHID Local Alcohol Profiles)"})
            except (ValidationError, ValueError) as exc:
                raise ComparatorSeedError(f"{where}, {kind}: {exc}") from None
            session.add(row)
            count += 1
    for n, record in enumerate(data.get("catalogue", []), start=1):
        code = record.pop("indicator", None)
        if code not in codes:
            raise ComparatorSeedError(f"{path.name}, catalogue record {n}: there is no indicator {code!r}")
        try:
            session.add(IndicatorCatalogue.model_validate({"indicator_id": codes[code], **record}))
        except ValidationError as exc:
            raise ComparatorSeedError(f"{path.name}, catalogue record {n}: {exc}") from None
    session.flush()
    return count
