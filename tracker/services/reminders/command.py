"""`python -m tracker.cli send-reminders [--dry-run]`: the reminder run a scheduler starts."""

from __future__ import annotations

import argparse
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker.config import Settings
from tracker.db import session_scope
from tracker.models import Partnership
from tracker.rules.clock import uk_today
from tracker.services.errors import NotFound
from tracker.services.reminders.mailer import SmtpMailer, SmtpSettings
from tracker.services.reminders.send import send_reminders_as_system


def add_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--dry-run", action="store_true", help="say who would get a reminder; send nothing")
    command.add_argument("--partnership", help="the partnership's slug (default: every partnership)")
    command.add_argument("--today", type=date.fromisoformat, help=argparse.SUPPRESS)  # tests: as if on this day
    command.set_defaults(run=send_reminders_command)


def send_reminders_command(engine: Engine, args: argparse.Namespace, settings: Settings | None = None) -> str:
    settings = settings or Settings.from_env()
    base_url = settings.public_url or f"http://{settings.host}:{settings.port}{settings.url_prefix}"
    mailer = SmtpMailer(SmtpSettings.from_settings(settings))
    today = getattr(args, "today", None) or uk_today()
    lines = []
    with session_scope(engine) as session:
        query = select(Partnership).order_by(Partnership.id)
        if args.partnership:
            query = query.where(Partnership.slug == args.partnership)
        partnerships = session.exec(query).all()
        if not partnerships:
            raise NotFound(f"There is no partnership {args.partnership}.")
        for partnership in partnerships:
            result = send_reminders_as_system(session, partnership.id, today,
                                              {"base_url": base_url, "dry_run": args.dry_run}, mailer)
            lines.append(f"{partnership.name}: {result.summary()}")
            lines += [f"  {'would send to' if args.dry_run else 'sent to'} {d.name} <{d.email}>: "
                      f"{', '.join(d.action_refs)}" for d in (result.to_send if args.dry_run else result.sent)]
    return "\n".join(lines)
