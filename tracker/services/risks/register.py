"""Reading the register: one view model for the register page, the overview and the board report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from tracker.models import Action, Funding, Person, Risk, RiskAction, RiskFunding, RiskRating, Theme
from tracker.rules import risk_scoring


@dataclass(frozen=True)
class Rating:
    rated_on: date
    inherent: int
    residual: int
    residual_words: str
    reason: str
    author: str


@dataclass(frozen=True)
class RiskRow:
    id: int
    ref: str
    title: str
    cause: str
    effect: str
    mitigation: str
    owner: str
    owner_id: int | None
    theme: str
    status: str
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    inherent_score: int
    residual_score: int
    inherent_band: str
    residual_band: str
    residual_words: str
    review_date: date | None
    review_overdue: bool
    version: int
    illustrative: bool
    actions: list[tuple[int, str, str]] = field(default_factory=list)  # (id, ref, title)
    funding: list[tuple[int, str]] = field(default_factory=list)  # (id, "name (2025/26)")
    history: list[Rating] = field(default_factory=list)


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    score: int
    band: str
    colour: str
    text_colour: str
    refs: list[str]


@dataclass(frozen=True)
class RiskRegister:
    rows: list[RiskRow]  # open risks first, highest residual score first
    heat: list[list[HeatCell]]  # residual ratings of open risks: rows likelihood 5..1, columns impact 1..5
    overdue: list[RiskRow]
    open_count: int


def _rows(session: Session, pid: int, today: date, with_history: bool) -> list[RiskRow]:
    risks = session.exec(select(Risk).where(Risk.partnership_id == pid)).all()
    ids = [r.id for r in risks]
    names = dict(session.exec(select(Person.id, Person.name).where(Person.partnership_id == pid)).all())
    themes = dict(session.exec(select(Theme.id, Theme.name).where(Theme.partnership_id == pid)).all())
    links: dict[int, list[tuple[int, str, str]]] = {}
    for risk_id, action_id, ref, title in session.exec(
            select(RiskAction.risk_id, Action.id, Action.ref, Action.title)
            .join(Action, Action.id == RiskAction.action_id).where(RiskAction.risk_id.in_(ids))
            .order_by(Action.ref)).all():
        links.setdefault(risk_id, []).append((action_id, ref, title))
    money: dict[int, list[tuple[int, str]]] = {}
    for risk_id, f in session.exec(select(RiskFunding.risk_id, Funding).join(Funding, Funding.id == RiskFunding.funding_id)
                                   .where(RiskFunding.risk_id.in_(ids))
                                   .order_by(Funding.financial_year, Funding.name)).all():
        money.setdefault(risk_id, []).append((f.id, funding_label(f)))
    history: dict[int, list[Rating]] = {}
    if with_history:
        for r in session.exec(select(RiskRating).where(RiskRating.risk_id.in_(ids))
                              .order_by(RiskRating.rated_on.desc(), RiskRating.id.desc())).all():
            history.setdefault(r.risk_id, []).append(Rating(
                r.rated_on, r.inherent_likelihood * r.inherent_impact,
                r.residual_likelihood * r.residual_impact,
                risk_scoring.describe(r.residual_likelihood, r.residual_impact), r.reason,
                names.get(r.author_id, "the seed data") if r.author_id else "the seed data"))
    rows = []
    for r in risks:
        inherent = risk_scoring.score(r.inherent_likelihood, r.inherent_impact)
        residual = risk_scoring.score(r.residual_likelihood, r.residual_impact)
        rows.append(RiskRow(
            id=r.id, ref=r.ref, title=r.title, cause=r.cause, effect=r.effect, mitigation=r.mitigation,
            owner=names.get(r.owner_id, "No owner"), owner_id=r.owner_id, theme=themes.get(r.theme_id, ""),
            status=r.status, inherent_likelihood=r.inherent_likelihood, inherent_impact=r.inherent_impact,
            residual_likelihood=r.residual_likelihood, residual_impact=r.residual_impact,
            inherent_score=inherent, residual_score=residual,
            inherent_band=risk_scoring.band(inherent).name, residual_band=risk_scoring.band(residual).name,
            residual_words=risk_scoring.describe(r.residual_likelihood, r.residual_impact),
            review_date=r.review_date, review_overdue=risk_scoring.review_overdue(r.review_date, r.status, today),
            version=r.version, illustrative=r.illustrative, actions=links.get(r.id, []), funding=money.get(r.id, []),
            history=history.get(r.id, [])))
    rows.sort(key=lambda row: _order(row.status, row.residual_score, row.inherent_score, row.ref))
    return rows


def _order(status: str, residual: int, inherent: int, ref: str) -> tuple:
    """The register's order: open risks first, highest residual score first, then inherent, then ref."""
    return status != "open", -residual, -inherent, ref


@dataclass(frozen=True)
class WatchedRisk:
    ref: str
    title: str
    residual_words: str
    review_overdue: bool


@dataclass(frozen=True)
class RiskWatch:
    top: list[WatchedRisk]  # the highest open risks, in the register's order
    overdue_reviews: int  # open risks overdue for review


def watch(session: Session, partnership_id: int, today: date, top: int = 3) -> RiskWatch:
    """What the overview shows of the register: its highest open risks and how many are overdue for
    review, from one read of the open risks' ratings (the register reads their links and owners too)."""
    found = session.exec(select(Risk.ref, Risk.title, Risk.status, Risk.inherent_likelihood, Risk.inherent_impact,
                                Risk.residual_likelihood, Risk.residual_impact, Risk.review_date)
                         .where(Risk.partnership_id == partnership_id, Risk.status == "open")).all()
    found = sorted(found, key=lambda r: _order(r.status, risk_scoring.score(r.residual_likelihood, r.residual_impact),
                                               risk_scoring.score(r.inherent_likelihood, r.inherent_impact), r.ref))
    overdue = [risk_scoring.review_overdue(r.review_date, r.status, today) for r in found]
    return RiskWatch(
        top=[WatchedRisk(r.ref, r.title, risk_scoring.describe(r.residual_likelihood, r.residual_impact), late)
             for r, late in zip(found[:top], overdue[:top], strict=True)],
        overdue_reviews=sum(overdue))


def register(session: Session, partnership_id: int, today: date, with_history: bool = True) -> RiskRegister:
    rows = _rows(session, partnership_id, today, with_history)
    open_rows = [r for r in rows if r.status == "open"]
    heat = []
    for likelihood in range(5, 0, -1):
        line = []
        for impact in range(1, 6):
            s = likelihood * impact
            b = risk_scoring.band(s)
            line.append(HeatCell(likelihood, impact, s, b.name, b.colour, b.text_colour,
                                 [r.ref for r in open_rows if (r.residual_likelihood, r.residual_impact)
                                  == (likelihood, impact)]))
        heat.append(line)
    return RiskRegister(rows=rows, heat=heat, overdue=[r for r in open_rows if r.review_overdue],
                        open_count=len(open_rows))


def funding_label(f: Funding) -> str:
    return f"{f.name} ({f.financial_year})" if f.financial_year else f.name


@dataclass(frozen=True)
class FormChoices:
    """What the add-risk form offers: the partnership's own people, themes and contracts and grants."""

    owners: list[tuple[int, str]]
    themes: list[tuple[int, str]]
    funding: list[tuple[int, str]]


def form_choices(session: Session, partnership_id: int) -> FormChoices:
    people = session.exec(select(Person.id, Person.name).where(
        Person.partnership_id == partnership_id, Person.is_active).order_by(Person.name)).all()
    themes = session.exec(select(Theme.id, Theme.number, Theme.name).where(
        Theme.partnership_id == partnership_id).order_by(Theme.number)).all()
    money = session.exec(select(Funding).where(Funding.partnership_id == partnership_id)
                         .order_by(Funding.kind, Funding.name, Funding.financial_year)).all()
    return FormChoices(owners=[(i, n) for i, n in people], themes=[(i, f"{num} {n}") for i, num, n in themes],
                       funding=[(f.id, f"{f.kind.capitalize()}: {funding_label(f)}") for f in money])


def top_risks(session: Session, partnership_id: int, today: date, limit: int = 5) -> list[RiskRow]:
    """The open risks with the highest residual scores, for the overview and the board report."""
    return [r for r in _rows(session, partnership_id, today, False) if r.status == "open"][:limit]
