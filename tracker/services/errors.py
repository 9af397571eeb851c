"""The errors a service raises; the UI shows their messages as they are."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy.exc import IntegrityError

M = TypeVar("M", bound=BaseModel)


class ServiceError(Exception):
    """Base class: the message is for the user."""


class InvalidInput(ServiceError):
    """Bad input. `errors` maps each field name to what to fix ("" for the form as a whole)."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items()))

    @classmethod
    def from_pydantic(cls, exc: PydanticValidationError) -> InvalidInput:
        errors: dict[str, str] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err.get("loc") else ""
            cause = (err.get("ctx") or {}).get("error")
            field = getattr(cause, "field", field)  # tracker.schemas.FieldError names its field
            errors.setdefault(field, _friendly(err))
        return cls(errors)


def validated(model: type[M], data: dict, stand_ins: dict | None = None) -> M:
    """`model.model_validate(data)`; a problem is raised as InvalidInput, saying what to fix by field.

    With `stand_ins` (even empty), every problem is reported at once (see all_problems)."""
    payload, errors = all_problems(model, data, stand_ins)
    if errors:
        raise InvalidInput(errors)
    return payload


def all_problems(model: type[M], data: dict, stand_ins: dict | None = None) -> tuple[M | None, dict[str, str]]:
    """The input validated, or every problem with it. Pydantic skips the rules across fields (due
    after start; narrative for Amber/Red; 100% for Blue) once any field fails, so with `stand_ins`
    they are checked again with the failed fields replaced by harmless stand-ins (or their
    defaults): the user then sees everything to fix at once, not one problem per attempt."""
    try:
        return model.model_validate(data), {}
    except PydanticValidationError as exc:
        errors = InvalidInput.from_pydantic(exc).errors
    if stand_ins is None:
        return None, errors
    retry = {k: v for k, v in data.items() if k in model.model_fields and k not in errors}
    retry |= {k: v for k, v in stand_ins.items() if k in errors or k not in retry}
    try:
        model.model_validate(retry)
    except PydanticValidationError as exc:
        for name, message in InvalidInput.from_pydantic(exc).errors.items():
            errors.setdefault(name, message)
    return None, errors


def _friendly(err: dict) -> str:
    """Pydantic's wording is for developers; say what the user should type instead."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return "This is required"
    if kind == "string_too_short":
        return f"Enter at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return f"Enter no more than {ctx.get('max_length')} characters"
    if kind.startswith("date") or kind.startswith("datetime"):
        return "Enter a real date, for example 31/03/2026"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "Enter a whole number"
    if kind in ("float_parsing", "float_type"):
        return "Enter a number"
    if kind in ("greater_than_equal", "greater_than"):
        return f"Enter a number of at least {ctx.get('ge', ctx.get('gt'))}"
    if kind in ("less_than_equal", "less_than"):
        return f"Enter a number no more than {ctx.get('le', ctx.get('lt'))}"
    if kind == "extra_forbidden":
        return "This field is not expected"
    if kind == "string_type":
        return "Enter this as text"
    if kind in ("bool_type", "bool_parsing"):
        return "Choose yes or no"
    if kind in ("literal_error", "enum"):
        return f"Choose one of {ctx['expected']}" if ctx.get("expected") else "Choose one of the options offered"
    if kind in ("list_type", "set_type", "tuple_type", "dict_type", "model_type"):
        return "Choose from the options offered"
    message = err.get("msg", "Check this value")
    # pydantic prefixes custom messages with "Value error, "; users need only the rest.
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message[:1].upper() + message[1:]


class PermissionDenied(ServiceError):
    """The actor may not do this."""


class NotFound(ServiceError):
    """The record does not exist (or is in another partnership)."""


class Conflict(ServiceError):
    """Someone else changed the record since the editor loaded it; nothing was written."""


def flush_unique(session, errors: dict[str, str]) -> None:
    """Flush; a unique constraint broken by someone saving at the same moment becomes InvalidInput."""
    try:
        session.flush()
    except IntegrityError:
        raise InvalidInput(errors) from None
