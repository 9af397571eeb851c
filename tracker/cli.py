"""Command-line administration: accounts and embed tokens, for the person who runs the server.

    python -m tracker.cli init                      # migrate, load the seed (no demo accounts)
    python -m tracker.cli backup tracker-2026-11-23.jsonl.gz      # the whole database, one portable file
    python -m tracker.cli restore tracker-2026-11-23.jsonl.gz     # into an empty database
    python -m tracker.cli create-user --email a.person@example.gov.uk --name "A Person" \\
        --role admin --partnership northamptonshire
    python -m tracker.cli set-password --email a.person@example.gov.uk
    python -m tracker.cli embed-token create --admin admin@example.gov.uk --scope theme:2 --label "Intranet"
    python -m tracker.cli embed-token list --admin admin@example.gov.uk
    python -m tracker.cli embed-token revoke --admin admin@example.gov.uk --id 3

The password is read from the environment variable named by --password-env (default
TRACKER_NEW_PASSWORD) when it is set, otherwise asked for twice without echo; it never goes on the
command line, where other users of the machine could see it. The database is TRACKER_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker import backup, migrate
from tracker.config import Settings
from tracker.db import make_engine, session_scope
from tracker.formatting import short_date
from tracker.models import ROLES, Partnership, Person
from tracker.rules.dates import parse_date
from tracker.schemas import PasswordIn, PersonIn
from tracker.services import audit, embeds
from tracker.services.auth import end_sessions, hash_password
from tracker.services.errors import InvalidInput, ServiceError
from tracker.services.reminders import command as reminders
from tracker.startup import init_database

PASSWORD_ENV = "TRACKER_NEW_PASSWORD"


class CommandError(Exception):
    """What went wrong, for the person at the terminal."""


def _password(env_name: str) -> str:
    value = os.environ.get(env_name)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandError(f"Set the password in the environment variable {env_name}, or run this in a terminal.")
    first = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("The same password again: ") != first:
        raise CommandError("The two passwords are not the same; nothing was changed.")
    return first


def _person(session: Session, email: str) -> Person:
    person = session.exec(select(Person).where(func.lower(Person.email) == email.strip().lower())).first()
    if person is None:
        raise CommandError(f"No one has the email address {email}.")
    return person


def _invalid(exc: InvalidInput) -> CommandError:
    return CommandError("; ".join(f"{field or 'input'}: {message}" for field, message in exc.errors.items()))


def create_user(engine: Engine, args: argparse.Namespace) -> str:
    with session_scope(engine) as session:
        partnership = session.exec(select(Partnership).where(Partnership.slug == args.partnership)).first()
        if partnership is None:
            slugs = ", ".join(session.exec(select(Partnership.slug)).all()) or "none yet"
            raise CommandError(f"There is no partnership {args.partnership!r} (there are: {slugs}).")
        try:
            payload = PersonIn.model_validate({
                "name": args.name, "email": args.email, "role": args.role,
                "organisation": args.organisation or "", "job_title": args.job_title or "",
                "password": _password(args.password_env),
            })
        except Exception as exc:  # pydantic's ValidationError
            raise _invalid(InvalidInput.from_pydantic(exc)) from None
        taken = session.exec(select(Person.id).where(func.lower(Person.email) == payload.email)).first()
        if taken is not None:
            raise CommandError(f"Someone already has the email address {payload.email}: use set-password to "
                               "give them a new password.")
        person = Person(partnership_id=partnership.id, **payload.model_dump(exclude={"password"}),
                        password_hash=hash_password(payload.password))
        session.add(person)
        session.flush()
        audit.record(session, None, "create", person, after=audit.snapshot(person) | {"password": "set"},
                     summary=f"Added {person.name} ({person.role}) from the command line")
        return f"Created {person.name} <{person.email}>, {person.role} of {partnership.name}."


def set_password(engine: Engine, args: argparse.Namespace) -> str:
    with session_scope(engine) as session:
        person = _person(session, args.email)
        try:
            payload = PasswordIn.model_validate({"password": _password(args.password_env)})
        except Exception as exc:
            raise _invalid(InvalidInput.from_pydantic(exc)) from None
        person.password_hash = hash_password(payload.password)
        end_sessions(person)  # a copy of an old session cookie stops working
        session.add(person)
        session.flush()
        audit.record(session, None, "update", person, before={"password": "set"}, after={"password": "changed"},
                     summary=f"Password set for {person.name} from the command line")
        return f"Set a new password for {person.name} <{person.email}>."


def embed_token(engine: Engine, args: argparse.Namespace) -> str:
    with session_scope(engine) as session:
        admin = _person(session, args.admin)
        if args.action == "create":
            try:
                expires = parse_date(args.expires) if args.expires else None
            except ValueError as exc:
                raise InvalidInput({"expires": str(exc)}) from None
            row, plain = embeds.create_embed_token(session, admin, args.scope, args.label, expires)
            return (f"Embed token {row.id} for {row.scope} ({row.label}). It is shown only now:\n{plain}\n"
                    f"Embed: <iframe src=\"https://<tracker address>{embeds.embed_path(row.scope, plain)}\" "
                    f"title=\"{row.label}\"></iframe>")
        if args.action == "revoke":
            row = embeds.revoke_embed_token(session, admin, args.id)
            return f"Revoked embed token {row.id} ({row.scope}, {row.label})."
        rows = embeds.embed_tokens(session, admin)
        if not rows:
            return "No embed tokens."
        return "\n".join(f"{r.id}\t{r.scope}\t{embeds.token_state(r)}\t{short_date(r.created_at)}\t"
                         f"{short_date(r.expires_on) if r.expires_on else 'no expiry'}\t{r.label}"
                         for r in rows)


def init(engine: Engine, args: argparse.Namespace) -> str:
    """Migrate the database and load the seed partnerships once: the step before the workers start."""
    settings = Settings.from_env()
    if args.seed:
        settings = settings.model_copy(update={"seed_dirs": [Path(d) for d in args.seed]})
    if args.no_seed:
        settings = settings.model_copy(update={"seed_on_start": False})
    loaded = init_database(engine, settings, demo_accounts=args.demo) if not args.no_seed else \
        (migrate.upgrade(engine) and [])
    words = f"The database is at migration {migrate.current(engine)}."
    if loaded:
        words += " Loaded " + ", ".join(loaded) + (" with its demo accounts." if args.demo else
                                                   " without demo accounts: create the first admin with create-user.")
    return words


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m tracker.cli", description="CDP Delivery Tracker administration")
    commands = top.add_subparsers(dest="command", required=True)

    first = commands.add_parser("init", help="migrate the database and load the seed partnerships (run once "
                                             "before starting the workers, and after each upgrade)")
    first.add_argument("--demo", action="store_true", help="give the seed's demo accounts their password (never live)")
    first.add_argument("--seed", action="append", help="a seed folder to load (repeatable; default TRACKER_SEED_DIR)")
    first.add_argument("--no-seed", action="store_true", help="only migrate")
    first.set_defaults(run=init)

    dump = commands.add_parser("backup", help="write the whole database to one portable file")
    dump.add_argument("file", help="e.g. tracker-2026-11-23.jsonl.gz")
    dump.set_defaults(run=lambda engine, args: backup.backup(engine, args.file))
    load = commands.add_parser("restore", help="load a backup file into an empty database (SQLite or PostgreSQL)")
    load.add_argument("file")
    load.set_defaults(run=lambda engine, args: backup.restore(engine, args.file))

    create = commands.add_parser("create-user", help="add a person who can sign in with a password")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--partnership", required=True, help="the partnership's slug, e.g. northamptonshire")
    create.add_argument("--organisation", default="")
    create.add_argument("--job-title", default="")
    create.add_argument("--password-env", default=PASSWORD_ENV,
                        help=f"environment variable holding the password (default {PASSWORD_ENV}); "
                             "without it the password is asked for")
    create.set_defaults(run=create_user)

    reset = commands.add_parser("set-password", help="give someone a new password")
    reset.add_argument("--email", required=True)
    reset.add_argument("--password-env", default=PASSWORD_ENV)
    reset.set_defaults(run=set_password)

    token = commands.add_parser("embed-token", help="read-only tokens for embedding a view in the intranet")
    token.add_argument("action", choices=("create", "list", "revoke"))
    token.add_argument("--admin", required=True, help="email of the administrator doing this")
    token.add_argument("--scope", help='"overview", "theme:<id>" or "subgroup:<id>" (create)')
    token.add_argument("--label", help="where the embed will be used (create)")
    token.add_argument("--expires", help="the last day it opens, dd/mm/yyyy (create; default: until revoked)")
    token.add_argument("--id", type=int, help="the token's number (revoke)")
    token.set_defaults(run=embed_token)
    reminders.add_arguments(commands.add_parser("send-reminders", help="e-mail each person the updates they owe"))
    return top


def main(argv: Sequence[str] | None = None, engine: Engine | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "embed-token":
        missing = {"create": ("scope", "label"), "revoke": ("id",)}.get(args.action, ())
        if any(getattr(args, name) in (None, "") for name in missing):
            print(f"embed-token {args.action} needs " + " and ".join(f"--{n}" for n in missing), file=sys.stderr)
            return 2
    if engine is None:
        engine = make_engine(Settings.from_env().database_url)
        if args.command not in ("init", "backup", "restore") and migrate.current(engine) != migrate.head():
            print("The database is not migrated: run `python -m tracker.cli init` first.", file=sys.stderr)
            return 1
    try:
        print(args.run(engine, args))
    except (CommandError, backup.BackupError) as exc:
        print(exc, file=sys.stderr)
        return 1
    except InvalidInput as exc:
        print(_invalid(exc), file=sys.stderr)
        return 1
    except ServiceError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
