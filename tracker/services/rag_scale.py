"""The partnership's RAG scale: the words and colours of each level, and switching scales.

For administrators only; each change is validated, checked for WCAG contrast
(tracker.rules.contrast) and recorded in the audit trail in the same session.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import update as sql_update
from sqlmodel import Session, delete, select

from tracker.models import Action, Partnership, Person, RagLevel, StatusUpdate
from tracker.rules.contrast import MIN_CONTRAST, contrast_ratio, darker_or_lighter
from tracker.rules.enums import RagScaleName
from tracker.schemas import RagLevelIn
from tracker.services import audit
from tracker.services.errors import Conflict, InvalidInput, NotFound, validated
from tracker.services.permissions import require_admin
from tracker.services.reference import SCALES, get_partnership

__all__ = [
    "MIN_CONTRAST", "SCALE_NAMES", "RagLevelIn",
    "rag_levels", "edit_rag_level", "scale_usage", "switch_scale",
]

SCALE_NAMES = {scale.value: scale.label for scale in RagScaleName}


def rag_levels(session: Session, actor: Person) -> list[RagLevel]:
    """The partnership's RAG levels as stored (created from its scale if it has none yet)."""
    actor = require_admin(actor)
    return _ensure_levels(session, actor.partnership_id)


def _levels(session: Session, partnership_id: int) -> list[RagLevel]:
    return list(session.exec(
        select(RagLevel).where(RagLevel.partnership_id == partnership_id).order_by(RagLevel.sort_order, RagLevel.id)
    ).all())


def _ensure_levels(session: Session, partnership_id: int) -> list[RagLevel]:
    levels = _levels(session, partnership_id)
    if levels:
        return levels
    partnership = get_partnership(session, partnership_id)
    _add_scale_rows(session, partnership_id, partnership.rag_scale if partnership.rag_scale in SCALES else RagScaleName.STANDARD)
    session.flush()
    return _levels(session, partnership_id)


def _add_scale_rows(session: Session, partnership_id: int, scale: str) -> None:
    for order, rag in enumerate(SCALES[scale], start=1):
        session.add(RagLevel(partnership_id=partnership_id, code=rag.code, label=rag.label,
                             definition=rag.definition, colour=rag.colour, text_colour=rag.text_colour,
                             symbol=rag.symbol, severity=rag.severity, sort_order=order))


def edit_rag_level(session: Session, actor: Person, code: str, data: dict, expected: dict | None = None) -> RagLevel:
    """Change one colour's label, definition and colour. The colour must keep a contrast of at
    least 4.5:1 with the colour of its text. With `expected` (the label, definition and colour the
    editor started from), a change saved by someone else in the meantime is refused with Conflict."""
    actor = require_admin(actor)
    levels = {level.code: level for level in _ensure_levels(session, actor.partnership_id)}
    level = levels.get(str(code or ""))
    if level is None:
        raise NotFound(f"The partnership's RAG scale has no colour {code!r}.")
    payload: RagLevelIn = validated(RagLevelIn, data)
    errors: dict[str, str] = {}
    for other in levels.values():
        if other.code != level.code and other.label.strip().lower() == payload.label.lower():
            errors["label"] = f"{other.label} is already the label of another colour"
    if payload.colour != level.colour.lower():
        ratio = contrast_ratio(payload.colour, level.text_colour)
        if ratio < MIN_CONTRAST:
            errors["colour"] = (
                f"{payload.colour} has a contrast of only {ratio:.1f}:1 with its text colour {level.text_colour}; "
                f"it needs at least {MIN_CONTRAST}:1 (WCAG AA) so the label stays readable. "
                f"Choose a {darker_or_lighter(level.text_colour)} colour."
            )
    if errors:
        raise InvalidInput(errors)
    fields = ["label", "definition", "colour"]
    before = audit.snapshot(level, fields)
    if expected is not None:
        seen = {k: str(expected.get(k, "")) for k in fields}
        if seen != {k: str(before[k]) for k in fields}:
            raise Conflict(
                f"Someone else changed {level.label} after you opened this page. Nothing you entered was saved: "
                "reload to see their change, then make yours again."
            )
    result = session.exec(
        sql_update(RagLevel)
        .where(RagLevel.id == level.id, RagLevel.label == before["label"],
               RagLevel.definition == before["definition"], RagLevel.colour == before["colour"])
        .values(label=payload.label, definition=payload.definition, colour=payload.colour)
    )
    if result.rowcount != 1:
        raise Conflict(f"Someone else changed {level.label} at the same moment. Nothing was saved: reload and try again.")
    session.expire(level)
    level = session.get(RagLevel, level.id)
    audit.record(session, actor, "update", level, before=before, after=audit.snapshot(level, fields),
                 summary=f"RAG colour {level.label} ({level.code}) edited")
    session.flush()
    return level


def scale_usage(session: Session, partnership_id: int) -> dict[str, int]:
    """How many status updates of the partnership use each RAG code."""
    rows = session.exec(
        select(StatusUpdate.rag, func.count(StatusUpdate.id))
        .join(Action, Action.id == StatusUpdate.action_id)
        .where(Action.partnership_id == partnership_id)
        .group_by(StatusUpdate.rag)
    ).all()
    return dict(rows)


def switch_scale(session: Session, actor: Person, scale: str) -> Partnership:
    """Use another RAG scale. The partnership's colours are replaced by the new scale's (with its
    standard words); refused if status updates use colours the new scale does not have."""
    actor = require_admin(actor)
    if scale not in SCALES:
        raise InvalidInput({"scale": "Choose a scale: " + ", ".join(SCALE_NAMES[s] for s in SCALES)})
    partnership = session.exec(
        select(Partnership).where(Partnership.id == actor.partnership_id).with_for_update()
    ).one()
    current = _levels(session, partnership.id)
    if partnership.rag_scale == scale and current:
        raise InvalidInput({"scale": f"The partnership already uses the {SCALE_NAMES[scale]} scale"})
    new_codes = {rag.code for rag in SCALES[scale]}
    labels = {level.code: level.label for level in current}
    for scale_levels in SCALES.values():
        for rag in scale_levels:
            labels.setdefault(rag.code, rag.label)
    missing = {code: n for code, n in scale_usage(session, partnership.id).items() if code not in new_codes and n}
    if missing:
        total = sum(missing.values())
        detail = ", ".join(f"{labels.get(code, code)}: {n}" for code, n in sorted(missing.items()))
        raise InvalidInput({"scale": (
            f"{total} status update{'s' if total != 1 else ''} use{'s' if total == 1 else ''} colours the "
            f"{SCALE_NAMES[scale]} scale does not have ({detail}). Updates are never rewritten, so the "
            "partnership keeps its current scale."
        )})
    before = {"rag_scale": partnership.rag_scale,
              "levels": [level.label for level in current]}
    session.exec(delete(RagLevel).where(RagLevel.partnership_id == partnership.id))
    session.flush()
    _add_scale_rows(session, partnership.id, scale)
    partnership.rag_scale = scale
    session.add(partnership)
    session.flush()
    after = {"rag_scale": scale, "levels": [level.label for level in _levels(session, partnership.id)]}
    audit.record(session, actor, "update", partnership, before=before, after=after, partnership_id=partnership.id,
                 summary=f"RAG scale changed to {SCALE_NAMES[scale]}")
    session.flush()
    return partnership
