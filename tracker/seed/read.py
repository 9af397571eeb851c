"""Reading the seed files: parse each YAML file, validate every record, check the references
between files. Nothing is written here (see tracker.seed.load)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tracker.seed.schema import FILES, SeedError


def _describe(record: Any, index: int) -> str:
    if isinstance(record, dict):
        for key in ("ref", "code", "email", "slug", "name", "number"):
            if key in record:
                return f"record {index + 1} ({key} {record[key]!r})"
    return f"record {index + 1}"


def _fail(file: str, where: str, exc: ValidationError) -> SeedError:
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    field = getattr(cause, "field", None) or field or "(record)"  # a rule over fields names its field
    message = str(cause) if cause is not None else err["msg"]
    return SeedError(f"{file}, {where}, field '{field}': {message}")


def read_seed_dir(seed_dir: Path) -> dict[str, Any]:
    """Parse and validate every file; raises SeedError naming file, record and field."""
    data: dict[str, Any] = {}
    for name, (model, is_list, optional) in FILES.items():
        path = seed_dir / name
        if not path.exists():
            if optional:
                data[name] = [] if is_list else None
                continue
            raise SeedError(f"{path}: the file is missing")
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise SeedError(f"{name}: not valid YAML: {exc}") from None
        if is_list:
            if not isinstance(raw, list):
                raise SeedError(f"{name}: expected a list of records")
            records = []
            for i, item in enumerate(raw):
                try:
                    records.append(model.model_validate(item))
                except ValidationError as exc:
                    raise _fail(name, _describe(item, i), exc) from None
            data[name] = records
        else:
            try:
                data[name] = model.model_validate(raw)
            except ValidationError as exc:
                raise _fail(name, "the file", exc) from None
    _check_references(data)
    return data


def _unique(file: str, values: list, label: str) -> None:
    seen = set()
    for i, value in enumerate(values):
        if value in seen:
            raise SeedError(f"{file}, record {i + 1}, field '{label}': {value!r} appears twice")
        seen.add(value)


def _check_references(data: dict[str, Any]) -> None:
    emails = [p.email.lower() for p in data["people.yaml"]]
    _unique("people.yaml", emails, "email")
    themes = [t.number for t in data["themes.yaml"]]
    _unique("themes.yaml", themes, "number")
    outcomes = [o.code for o in data["outcomes.yaml"]]
    _unique("outcomes.yaml", outcomes, "code")
    objectives = [o.code for o in data["objectives.yaml"]]
    _unique("objectives.yaml", objectives, "code")
    subgroups = [s.code for s in data["subgroups.yaml"]]
    _unique("subgroups.yaml", subgroups, "code")
    indicators = [i.code for i in data["indicators.yaml"]]
    _unique("indicators.yaml", indicators, "code")
    _unique("actions.yaml", [a.ref for a in data["actions.yaml"]], "ref")
    scale = {r.code for r in data["partnership.yaml"].rag_levels}

    def need(file: str, where: str, field: str, value: Any, known) -> None:
        if value is not None and value not in known:
            raise SeedError(f"{file}, {where}, field '{field}': {value!r} is not defined")

    for i, o in enumerate(data["objectives.yaml"]):
        where = f"record {i + 1} (code {o.code!r})"
        need("objectives.yaml", where, "theme", o.theme, themes)
        for code in o.outcomes:
            need("objectives.yaml", where, "outcomes", code, outcomes)
    for i, s in enumerate(data["subgroups.yaml"]):
        where = f"record {i + 1} (code {s.code!r})"
        need("subgroups.yaml", where, "lead", s.lead and s.lead.lower(), emails)
        for t in s.themes:
            need("subgroups.yaml", where, "themes", t, themes)
        for m in s.members:
            need("subgroups.yaml", where, "members.person", m.person.lower(), emails)
        for tor in s.terms_of_reference:
            for dep in tor.interdependencies:
                need("subgroups.yaml", where, "terms_of_reference.interdependencies.subgroup", dep.subgroup, subgroups)
    for i, ind in enumerate(data["indicators.yaml"]):
        where = f"record {i + 1} (code {ind.code!r})"
        need("indicators.yaml", where, "outcome", ind.outcome, outcomes)
        need("indicators.yaml", where, "objective", ind.objective, objectives)
        _unique(f"indicators.yaml, {where}", [v.period for v in ind.values], "values.period")
    for i, a in enumerate(data["actions.yaml"]):
        where = f"record {i + 1} (ref {a.ref!r})"
        need("actions.yaml", where, "subgroup", a.subgroup, subgroups)
        need("actions.yaml", where, "objective", a.objective, objectives)
        need("actions.yaml", where, "owner", a.owner and a.owner.lower(), emails)
        for code in a.outcomes:
            need("actions.yaml", where, "outcomes", code, outcomes)
        for code in a.indicators:
            need("actions.yaml", where, "indicators", code, indicators)
        for j, u in enumerate(a.updates):
            uwhere = f"{where}, update {j + 1} ({u.update_date.isoformat()})"
            need("actions.yaml", uwhere, "rag", u.rag, scale)
            need("actions.yaml", uwhere, "author", u.author and u.author.lower(), emails)
