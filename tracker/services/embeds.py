"""Read-only embed tokens: an intranet page shows one view of the tracker without an account.

A token is a random secret shown once, when an administrator creates it; the database keeps only its
SHA-256 hash. Each token opens one scope ("overview", "theme:<id>" or "subgroup:<id>") of one
partnership, read only, until it is revoked or its expiry date has passed. The admin page
(/admin/embeds) and the command line (`python -m tracker.cli embed-token`) both use these functions.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from tracker.formatting import short_date
from tracker.models import EmbedToken, Partnership, Person, Subgroup, Theme
from tracker.rules.clock import uk_today
from tracker.rules.text import NUL_PROBLEM, holds_nul
from tracker.services import audit, reference
from tracker.services.errors import InvalidInput, NotFound, PermissionDenied
from tracker.services.permissions import is_admin, require_admin, require_same_partnership

SCOPE_KINDS = ("overview", "theme", "subgroup")
_SCOPE = re.compile(r"^(overview|(theme|subgroup):([1-9][0-9]{0,9}))$")
_AUDIT_FIELDS = ["id", "partnership_id", "label", "scope", "created_by_id", "revoked", "expires_on"]
MAX_LIFETIME = timedelta(days=3 * 366)  # an embed outlives a strategy rarely; a new token is one click


@dataclass(frozen=True)
class Scope:
    kind: str  # overview / theme / subgroup
    entity_id: int | None = None

    def __str__(self) -> str:
        return self.kind if self.entity_id is None else f"{self.kind}:{self.entity_id}"


def parse_scope(scope: str) -> Scope | None:
    match = _SCOPE.match(scope.strip() if isinstance(scope, str) else "")
    if not match:
        return None
    if match.group(1) == "overview":
        return Scope("overview")
    return Scope(match.group(2), int(match.group(3)))


def scope_for(kind: str, entity_id: int | str | None = None) -> str:
    """The scope string of a view: scope_for("theme", 3) == "theme:3"."""
    return kind if kind == "overview" else f"{kind}:{int(entity_id)}"


def embed_path(scope: str, token: str) -> str:
    """The embed's path with its token, for the iframe's src: "/embed/theme/3?token=..."."""
    return f"/embed/{scope.replace(':', '/')}?token={token}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _in_partnership(session: Session, scope: Scope, partnership_id: int) -> bool:
    if scope.kind == "overview":
        return True
    model = Theme if scope.kind == "theme" else Subgroup
    record = session.get(model, scope.entity_id)
    return record is not None and record.partnership_id == partnership_id


def embeddable_views(session: Session, partnership_id: int) -> list[tuple[str, str]]:
    """Every view of the partnership a token can open, as (scope, what it shows in words)."""
    views = [(scope_for("overview"), "The overview of the whole plan")]
    views += [(scope_for("theme", t.id), f"Theme {t.number}: {t.name}")
              for t in reference.themes(session, partnership_id)]
    views += [(scope_for("subgroup", s.id), f"Subgroup: {s.name}")
              for s in reference.subgroups(session, partnership_id)]
    return views


def create_embed_token(session: Session, actor: Person, scope: str, label: str, expires_on: date | None = None,
                       today: date | None = None) -> tuple[EmbedToken, str]:
    """Create a token for one view of the actor's partnership, open until `expires_on` (inclusive; None:
    until revoked). Returns the row and the plain token, which is not stored anywhere and cannot be
    shown again."""
    require_admin(actor)
    today = today or uk_today()
    errors: dict[str, str] = {}
    parsed = parse_scope(scope)
    label = label.strip() if isinstance(label, str) else ""
    if parsed is None:
        errors["scope"] = 'Choose what to embed: "overview", "theme:<id>" or "subgroup:<id>"'
    elif not _in_partnership(session, parsed, actor.partnership_id):
        errors["scope"] = f"There is no {parsed.kind} {parsed.entity_id} in your partnership"
    if not label:
        errors["label"] = "Say where the embed will be used, for example 'Intranet: treatment page'"
    elif len(label) > 200:
        errors["label"] = "Enter no more than 200 characters"
    elif holds_nul(label):
        errors["label"] = NUL_PROBLEM
    if expires_on is not None and not isinstance(expires_on, date):
        errors["expires_on"] = "Enter the expiry as a date, for example 31/03/2027"
    elif expires_on is not None and expires_on < today:
        errors["expires_on"] = f"The expiry {short_date(expires_on)} has passed: choose today or a later date"
    elif expires_on is not None and expires_on > today + MAX_LIFETIME:
        errors["expires_on"] = (f"Choose an expiry within three years (by {short_date(today + MAX_LIFETIME)}): "
                                "a new token can be made when it ends")
    if errors:
        raise InvalidInput(errors)
    plain = secrets.token_urlsafe(32)
    row = EmbedToken(partnership_id=actor.partnership_id, label=label, scope=str(parsed),
                     token_hash=hash_token(plain), created_by_id=actor.id, expires_on=expires_on)
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", row, after=audit.snapshot(row, _AUDIT_FIELDS),
                 summary=f"Embed token for {row.scope}: {label}"
                         + (f", until {short_date(expires_on)}" if expires_on else ""))
    return row, plain


def revoke_embed_token(session: Session, actor: Person, token_id: int) -> EmbedToken:
    """Withdraw a token at once (revoking one already revoked changes nothing)."""
    require_admin(actor)
    # is_record_id, not isinstance(int): PostgreSQL raises on an id beyond INTEGER (a 500), where it is no token.
    row = session.get(EmbedToken, token_id) if reference.is_record_id(token_id) else None
    if row is None:
        raise NotFound(f"There is no embed token {token_id}.")
    require_same_partnership(actor, row.partnership_id)
    if not row.revoked:
        before = audit.snapshot(row, _AUDIT_FIELDS)
        row.revoked = True
        session.add(row)
        session.flush()
        audit.record(session, actor, "update", row, before=before, after=audit.snapshot(row, _AUDIT_FIELDS),
                     summary=f"Revoked the embed token for {row.scope}: {row.label}")
    return row


def embed_tokens(session: Session, actor: Person) -> list[EmbedToken]:
    """The partnership's tokens (hashes only), newest first: for an administrator."""
    require_admin(actor)
    return list(session.exec(
        select(EmbedToken).where(EmbedToken.partnership_id == actor.partnership_id)
        .order_by(EmbedToken.created_at.desc(), EmbedToken.id.desc())
    ).all())


def token_state(row: EmbedToken, today: date | None = None) -> str:
    """"revoked", "expired" or "active", in words for the admin's list."""
    if row.revoked:
        return "revoked"
    if row.expires_on is not None and row.expires_on < (today or uk_today()):
        return "expired"
    return "active"


def resolve(session: Session, token: str | None, scope: str, today: date | None = None) -> int | None:
    """The partnership a valid, unrevoked, unexpired token for exactly this scope opens; None otherwise."""
    if not token or len(token) > 200 or parse_scope(scope) is None:
        return None
    row = session.exec(select(EmbedToken).where(EmbedToken.token_hash == hash_token(token))).first()
    if row is None or token_state(row, today) != "active" or row.scope != scope:
        return None
    parsed = parse_scope(row.scope)
    # A theme or subgroup that has since gone (or moved) is not opened by an old token.
    if parsed is None or not _in_partnership(session, parsed, row.partnership_id):
        return None
    return row.partnership_id


# --- What embedded views show -----------------------------------------------------------------------

SHOW_MEMBERS_LABEL = "List the members (names and organisations) in embedded subgroup views"
SHOW_MEMBERS_REFUSED = "Only an administrator can choose whether embedded views list the subgroup members."


def shows_members(session: Session, partnership_id: int) -> bool:
    """Whether the partnership's embedded subgroup views list the members."""
    return bool(reference.get_partnership(session, partnership_id).embed_show_members)


def set_show_members(session: Session, actor: Person | None, show) -> Partnership:
    """Opt the actor's partnership in to (or out of) member lists in embedded subgroup views: an
    administrator only, recorded in the audit trail. Setting the value it has changes nothing."""
    if actor is None or not actor.is_active or not is_admin(actor):
        raise PermissionDenied(SHOW_MEMBERS_REFUSED)
    if not isinstance(show, bool):
        raise InvalidInput({"embed_show_members": "Tick the box to list the members, or clear it not to"})
    partnership = reference.get_partnership(session, actor.partnership_id)
    before = bool(partnership.embed_show_members)
    if before == show:
        return partnership
    partnership.embed_show_members = show
    session.add(partnership)
    session.flush()
    audit.record(session, actor, "update", partnership, before={"embed_show_members": before},
                 after={"embed_show_members": show},
                 summary="Embedded subgroup views now " + ("list the members" if show else "do not list the members"))
    return partnership
