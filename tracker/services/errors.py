"""The errors a service raises; the UI shows their messages as they are."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

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


def validated(model: type[M], data: dict) -> M:
    """`model.model_validate(data)`; a problem is raised as InvalidInput, saying what to fix by field."""
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise InvalidInput.from_pydantic(exc) from None


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
