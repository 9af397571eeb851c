"""Reading contracts and grants: the register page's view model, and what ends soon for the overview.
Each item names the actions and the risks it concerns (links set on the risk register)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from tracker.models import Action, ActionFunding, Funding, FundingShare, Risk, RiskFunding
from tracker.rules import funding as rules


@dataclass(frozen=True)
class FundingItem:
    id: int
    kind: str
    name: str
    provider_or_funder: str
    commissioning_body: str
    funded_by: str
    financial_year: str
    value_gbp: float | None
    start_date: date | None
    end_date: date | None
    extension_options: str
    conditions: str
    replaces: str
    notes: str
    source: str
    illustrative: bool
    status: str  # Running / Ending soon / Ended / No end date
    months_left: int | None
    shares: list[tuple[str, float, float | None]] = field(default_factory=list)  # (area, £, % of value)
    actions: list[tuple[int, str]] = field(default_factory=list)  # (id, ref)
    risks: list[tuple[int, str, str]] = field(default_factory=list)  # (id, ref, title)


@dataclass(frozen=True)
class YearTotal:
    financial_year: str
    contracts_gbp: float
    grants_gbp: float
    count: int


@dataclass(frozen=True)
class FundingRegister:
    contracts: list[FundingItem]
    grants: list[FundingItem]
    timeline: list[FundingItem]  # everything with an end date, soonest first
    ending_soon: list[FundingItem]
    totals: list[YearTotal]  # by financial year, earliest first


def _items(session: Session, partnership_id: int, today: date) -> list[FundingItem]:
    rows = session.exec(select(Funding).where(Funding.partnership_id == partnership_id)).all()
    ids = [r.id for r in rows]
    shares: dict[int, list[FundingShare]] = defaultdict(list)
    for s in session.exec(select(FundingShare).where(FundingShare.funding_id.in_(ids)).order_by(FundingShare.id)):
        shares[s.funding_id].append(s)
    actions: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for funding_id, action_id, ref in session.exec(
            select(ActionFunding.funding_id, Action.id, Action.ref).join(Action, Action.id == ActionFunding.action_id)
            .where(ActionFunding.funding_id.in_(ids)).order_by(Action.ref)):
        actions[funding_id].append((action_id, ref))
    risks: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for funding_id, risk_id, ref, title in session.exec(
            select(RiskFunding.funding_id, Risk.id, Risk.ref, Risk.title).join(Risk, Risk.id == RiskFunding.risk_id)
            .where(RiskFunding.funding_id.in_(ids), Risk.partnership_id == partnership_id).order_by(Risk.ref)):
        risks[funding_id].append((risk_id, ref, title))
    items = []
    for r in rows:
        items.append(FundingItem(
            id=r.id, kind=r.kind, name=r.name, provider_or_funder=r.provider_or_funder,
            commissioning_body=r.commissioning_body, funded_by=r.funded_by, financial_year=r.financial_year,
            value_gbp=r.value_gbp, start_date=r.start_date, end_date=r.end_date,
            extension_options=r.extension_options, conditions=r.conditions, replaces=r.replaces, notes=r.notes,
            source=r.source, illustrative=r.illustrative, status=rules.status(r.end_date, today),
            months_left=rules.months_left(r.end_date, today),
            shares=[(s.area, s.value_gbp, round(100 * s.value_gbp / r.value_gbp, 1) if r.value_gbp else None)
                    for s in shares[r.id]],
            actions=actions[r.id], risks=risks[r.id]))
    return items


def funding_register(session: Session, partnership_id: int, today: date) -> FundingRegister:
    items = _items(session, partnership_id, today)
    by_end = sorted((i for i in items if i.end_date), key=lambda i: (i.end_date, i.name))
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for i in items:
        if i.financial_year and i.value_gbp is not None:
            t = totals[i.financial_year]
            t[0 if i.kind == "contract" else 1] += i.value_gbp
            t[2] += 1
    return FundingRegister(
        contracts=sorted((i for i in items if i.kind == "contract"), key=lambda i: -(i.value_gbp or 0)),
        grants=sorted((i for i in items if i.kind == "grant"), key=lambda i: (i.financial_year, i.name)),
        timeline=by_end,
        ending_soon=[i for i in by_end if i.status == "Ending soon"],
        totals=[YearTotal(fy, c, g, int(n)) for fy, (c, g, n) in sorted(totals.items())],
    )


@dataclass(frozen=True)
class EndingItem:
    id: int
    kind: str
    name: str
    financial_year: str
    end_date: date


def ending_soon(session: Session, partnership_id: int, today: date) -> list[EndingItem]:
    """Contracts and grants that end within the next 12 months, soonest first (for the overview): the
    register's "Ending soon", read alone (the register reads every item's shares, actions and risks)."""
    found = session.exec(select(Funding.id, Funding.kind, Funding.name, Funding.financial_year, Funding.end_date)
                         .where(Funding.partnership_id == partnership_id, Funding.end_date >= today,
                                Funding.end_date <= rules.add_months(today, rules.ENDING_SOON_MONTHS))
                         .order_by(Funding.end_date, Funding.name)).all()
    return [EndingItem(*r) for r in found if rules.ending_within(r.end_date, today)]  # the rule, not only its SQL
