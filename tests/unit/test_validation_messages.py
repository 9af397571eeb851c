"""What a refused field says: words that tell the person what to type, never pydantic's developer
wording ("Input should be a valid string"), whatever a crafted request put in the field."""

from __future__ import annotations

from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict

from tracker.services.errors import InvalidInput, validated


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ""
    count: int = 0
    share: float = 0.0
    agreed: bool = False
    kind: Literal["grant", "contract"] = "grant"
    tags: list[str] = []


@pytest.mark.parametrize(("given", "says"), [
    ({"name": 7}, "Enter this as text"),
    ({"name": ["a"]}, "Enter this as text"),
    ({"count": "seven"}, "Enter a whole number"),
    ({"count": 2.5}, "Enter a whole number"),
    ({"share": "lots"}, "Enter a number"),
    ({"agreed": "perhaps"}, "Choose yes or no"),
    ({"kind": "loan"}, "Choose one of 'grant' or 'contract'"),
    ({"tags": "a, b"}, "Choose from the options offered"),
    ({"zzz": 1}, "This field is not expected"),
])
def test_a_refused_field_says_what_to_enter(given, says):
    with pytest.raises(InvalidInput) as refused:
        validated(Form, given)
    (field, message), = refused.value.errors.items()
    assert field == next(iter(given)) and message == says
    assert "Input should" not in message and "valid" not in message.lower()
