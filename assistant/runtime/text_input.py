"""What every request body of every channel accepts: text without control characters (the input
guard's rule), and dates within a calendar that has a year on either side.

Text from outside — a question, a feedback comment, a key name, a theme string, a workspace id —
may hold no C0/C1 control character but tab, newline and carriage return, and no unpaired
surrogate: PostgreSQL cannot store NUL, UTF-8 cannot encode a surrogate, and escape sequences act
on terminals and logs. Refused (a 422 naming the field), never stripped: the caller learns what
was wrong and nothing half-cleaned is stored. Nested values (lists, dicts, models) are checked too.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field, field_validator
from pydantic_core import PydanticCustomError

from guardrails.text import control_character

ERROR_TYPE = "control_characters"

# Dates a caller may give: a year before and after the bounds still exists (a "vs last year"
# comparison, a trailing window; 0001-01-01 had none), and no retailer's data lies outside them.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
RequestDate = Annotated[dt.date, Field(ge=EARLIEST_DATE, le=LATEST_DATE)]


def _first_control_character(value: object) -> str | None:
    if isinstance(value, str):
        return control_character(value)
    if isinstance(value, dict):
        items: list[object] = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(value)
    elif isinstance(value, BaseModel):
        items = list(value.__dict__.values())
    else:
        return None
    for item in items:
        found = _first_control_character(item)
        if found is not None:
            return found
    return None


class PlainTextModel(BaseModel):
    """Base of every request body: each field (of every subclass) is checked after validation."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_control_characters(cls, value: Any) -> Any:
        found = _first_control_character(value)
        if found is not None:
            raise PydanticCustomError(ERROR_TYPE, "contains a control character ({char})", {"char": found})
        return value
