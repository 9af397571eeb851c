"""Every input model refuses text holding a NUL character, saying what to fix. PostgreSQL cannot store
one: before, a NUL pasted into (or crafted into) a person's name, a theme, a meeting's location, a risk's
reason or a contract's area reached the database and failed as a 500."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from pydantic import BaseModel

import tracker
from tracker.schemas import PersonIn, StatusUpdateIn
from tracker.services.board.inputs import BoardMeetingIn
from tracker.services.errors import InvalidInput, validated
from tracker.services.funding.inputs import FundingCreate
from tracker.services.maturity.workflow import OpenAssessmentIn
from tracker.services.risks.changes import RiskRerate
from tracker.services.strategy_admin import NewThemeIn

# Modules whose models describe what a form, an upload or a seed file submits.
INPUT_PACKAGES = ("tracker.schemas", "tracker.seed.", "tracker.services.")


def _input_models() -> list[type[BaseModel]]:
    found = []
    for info in pkgutil.walk_packages(tracker.__path__, "tracker."):
        if not info.name.startswith(INPUT_PACKAGES):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if (inspect.isclass(cls) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__
                    and any("str" in str(field.annotation) for field in cls.model_fields.values())):
                found.append(cls)
    return found


def test_every_input_model_with_text_has_the_nul_rule():
    models = _input_models()
    assert len(models) > 30  # the walk found the models (a broken walk would pass vacuously)
    missing = [f"{m.__module__}.{m.__name__}" for m in models
               if "_nul_free" not in m.__pydantic_decorators__.field_validators]
    assert missing == [], "add `_nul_free = nul_free()` (tracker.schemas) to: " + ", ".join(missing)


@pytest.mark.parametrize(("model", "data", "field"), [
    (PersonIn, {"name": "Sam\x00 Jones", "email": "sam@cdp.example.org", "role": "viewer"}, "name"),
    (StatusUpdateIn, {"update_date": "2026-11-20", "rag": "amber", "progress": 40,
                      "narrative": "Delayed\x00 by the provider."}, "narrative"),
    (NewThemeIn, {"number": 3, "name": "Hou\x00sing"}, "name"),
    (BoardMeetingIn, {"meeting_date": "2027-01-10", "location": "County\x00 Hall"}, "location"),
    (RiskRerate, {"inherent_likelihood": 3, "inherent_impact": 3, "residual_likelihood": 2, "residual_impact": 2,
                  "reason": "New\x00 figures"}, "reason"),
    (FundingCreate, {"name": "Treatment grant", "kind": "grant", "shares": {"North\x00": 5.0}}, "shares"),
    (OpenAssessmentIn, {"title": "Round\x00 one"}, "title"),
])
def test_text_holding_a_nul_is_refused_saying_what_to_fix(model, data, field):
    with pytest.raises(InvalidInput) as refused:
        validated(model, data)
    assert "NUL" in refused.value.errors[field]
    clean = {k: (v.replace("\x00", "") if isinstance(v, str) else v) for k, v in data.items()}
    if field != "shares":
        validated(model, clean)  # the same without the NUL is accepted: it is the NUL that is refused
