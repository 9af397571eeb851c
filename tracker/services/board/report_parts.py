"""Pieces of the board report that read other features: the latest update's words, the maturity
summary (tracker.services.maturity) and indicator progress (tracker.services.indicators), and the
late changes made to locked periods."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from tracker.models import AuditEvent, StatusUpdate
from tracker.rules.clock import to_uk, uk_date
from tracker.rules.indicator_status import STATUS_LABELS, STATUS_ORDER
from tracker.services import indicators as indicator_service
from tracker.services import maturity as maturity_service
from tracker.services.errors import NotFound
from tracker.services.reference import Rag

LATE_CHANGE_VERB = "late_change"


def latest_words(session: Session, action_ids: list[int]) -> dict[int, StatusUpdate]:
    """The latest update of each of these actions (for its narrative, next steps and blockers)."""
    if not action_ids:
        return {}
    ranked = (
        select(StatusUpdate.id, func.row_number().over(
            partition_by=StatusUpdate.action_id,
            order_by=(StatusUpdate.update_date.desc(), StatusUpdate.id.desc())).label("position"))
        .where(StatusUpdate.action_id.in_(action_ids))
        .subquery()
    )
    rows = session.exec(select(StatusUpdate).join(ranked, ranked.c.id == StatusUpdate.id)
                        .where(ranked.c.position == 1)).all()
    return {u.action_id: u for u in rows}


def unlisted(rows: list, reasons) -> dict:
    """The exceptions a report does not list (report.LISTED_AT_MOST): how many, and how many of them
    are red, overdue, deteriorating and not updated (an action may be several)."""
    found = [reasons(r) for r in rows]
    return {"count": len(rows), "red": sum("Red" in f for f in found),
            "overdue": sum("Overdue" in f for f in found),
            "deteriorating": sum(any(x.startswith("Deteriorating") for x in f) for f in found),
            "not_updated": sum(any(x.startswith("Not updated") for x in f) for f in found)}


def rag_words(counts: Counter | dict, scale: list[Rag]) -> str:
    """"3 Green, 1 Amber, 2 Red" in the scale's order; colours with none are left out."""
    parts = [f"{counts.get(r.code, 0)} {r.label}" for r in scale if counts.get(r.code, 0)]
    return ", ".join(parts) or "No actions"


def rag_counts(counts: Counter | dict, scale: list[Rag]) -> dict[str, int]:
    return {r.code: int(counts.get(r.code, 0)) for r in scale}


def maturity_summary(session: Session, partnership_id: int) -> dict:
    """Each subgroup's latest agreed or signed-off maturity scores, dimension by dimension."""
    try:
        framework = maturity_service.current_framework(session, partnership_id)
    except NotFound:  # no framework set up: the heatmap has no dimensions
        heat = maturity_service.heatmap(session, partnership_id)
        lows = maturity_service.lowest_scoring(session, partnership_id, limit=5)
    else:  # the heatmap and the lowest scores from one reading of the latest rounds
        heat, lows = maturity_service.overview_readings(session, partnership_id, framework, limit=5)
    rows = []
    for row in heat.rows:
        if row.latest is None:
            continue
        scores = row.latest.scores
        mean = round(sum(scores.values()) / len(scores), 1) if scores else None
        rows.append({
            "subgroup": row.subgroup, "title": row.latest.summary.title,
            "as_at": row.latest.summary.as_at.isoformat(), "status": row.latest.summary.status_label,
            "scores": {key: scores.get(key) for key, _ in heat.dimensions}, "mean": mean,
        })
    return {
        "dimensions": [{"key": key, "name": name} for key, name in heat.dimensions],
        "rows": rows,
        "lowest": [{"subgroup": low.subgroup, "dimension": low.row.dimension, "score": low.row.final_score,
                    "level": low.row.level_name, "improvement": low.row.improvement} for low in lows],
    }


# The most indicators a report lists: above a county's own (the seed has 27). A county x10's 329 made
# the Word table most of its 0.6 s and the PDF's pages; past this, the national measures and the local
# ones that most need attention are listed, and the rest counted by status.
INDICATORS_LISTED_AT_MOST = 40


def _indicator_row(s) -> dict:
    latest = s.assessment.latest
    return {
        "code": s.code, "name": s.name, "unit": s.unit, "direction": s.direction, "is_national": s.is_national,
        "baseline": s.baseline_value, "baseline_period": s.baseline_period,
        "latest": latest.value if latest else s.latest_value,
        "latest_period": latest.period if latest else s.latest_period,
        "target": s.target_value, "target_date": s.target_date.isoformat() if s.target_date else None,
        "status": s.status, "status_label": s.status_label, "symbol": s.assessment.symbol,
        "illustrative": s.illustrative,
    }


def indicator_progress(session: Session, partnership_id: int) -> tuple[list[dict], dict]:
    """Each indicator listed (latest value against baseline and target, with its status), in the
    Indicators page's order, and those left out, counted by status. Up to INDICATORS_LISTED_AT_MOST
    every one is listed; past it the national measures first, then the local ones worst status first
    (off track, at risk, ...)."""
    statuses = indicator_service.indicator_statuses(session, partnership_id)  # in the page's order
    listed = statuses
    if len(statuses) > INDICATORS_LISTED_AT_MOST:
        rank = {code: i for i, code in enumerate(STATUS_ORDER)}
        local = sorted((s for s in statuses if not s.is_national), key=lambda s: rank.get(s.status, len(rank)))
        chosen = {s.id for s in ([s for s in statuses if s.is_national] + local)[:INDICATORS_LISTED_AT_MOST]}
        listed = [s for s in statuses if s.id in chosen]
    shown = indicator_service.summaries_by_id(session, partnership_id, [s.id for s in listed])
    left = Counter(s.status for s in statuses if s.id not in shown)
    unlisted = {"count": sum(left.values()),
                "by_status": [{"status": c, "label": STATUS_LABELS[c], "count": left[c]} for c in STATUS_ORDER
                              if left.get(c)]}
    return [_indicator_row(shown[s.id]) for s in listed], unlisted


def late_changes(session: Session, partnership_id: int, since: date | None) -> list[dict]:
    """Changes an administrator made to a locked period (with their reason), since `since`."""
    query = select(AuditEvent).where(AuditEvent.partnership_id == partnership_id,
                                     AuditEvent.verb == LATE_CHANGE_VERB)
    events = session.exec(query.order_by(AuditEvent.at)).all()
    out = []
    for e in events:
        if since is not None and uk_date(e.at) <= since:
            continue
        after = json.loads(e.after) if e.after else {}
        out.append({"at": to_uk(e.at).isoformat(timespec="minutes"), "actor": e.actor_name, "summary": e.summary,
                    "reason": after.get("reason", ""), "entity": e.entity_type, "entity_id": e.entity_id})
    return out
