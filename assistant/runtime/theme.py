"""A tenant's white-label theme for the chat widget: colours, logo, assistant name, greeting and
suggested first questions.

The theme is shown inside retailers' own back offices, and whoever sets it is one tenant admin,
while whoever sees it may be any of that tenant's users. So every field is validated to the
narrowest shape the widget needs — colours only as `#rrggbb` (they end up in CSS), logos only as
an https URL or an inline raster/SVG image (they end up in an `<img>`, never in markup), texts
without control characters and within lengths that fit the panel — and anything else is refused
with a message naming the field. The widget still treats every value as hostile (defence in depth).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, ConfigDict, Field, ValidationError

from assistant.runtime.text_input import PlainTextModel
from guardrails.errors import UserError

MAX_SUGGESTIONS = 6
MAX_LOGO_URL_CHARS = 2048
MAX_LOGO_DATA_CHARS = 100_000  # an inline logo of ~70 KB; larger belongs on a CDN
LOGO_DATA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_DATA_URL = re.compile(r"data:(?P<type>[a-z+/.-]+);base64,(?P<payload>[A-Za-z0-9+/]+={0,2})")
_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?")


class InvalidTheme(UserError):
    """A theme field is malformed; the message names the field and the accepted shape."""

    code = "invalid_theme"


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError(f"must be a colour written as #rrggbb (e.g. #1a5fb4), not {value[:20]!r}")
    return value.lower()


def _logo(value: str) -> str:
    if value.startswith("https://"):
        if len(value) > MAX_LOGO_URL_CHARS:
            raise ValueError(f"an https logo URL may have at most {MAX_LOGO_URL_CHARS} characters")
        parts = urlsplit(value)
        if any(c.isspace() or ord(c) < 32 for c in value) or parts.username or parts.password:
            raise ValueError("an https logo URL may contain no spaces, control characters or credentials")
        if not parts.netloc or not _HOST.fullmatch(parts.netloc):
            raise ValueError("an https logo URL needs a host name")
        return value
    if value.startswith("data:"):
        if len(value) > MAX_LOGO_DATA_CHARS:
            raise ValueError(f"an inline logo may have at most {MAX_LOGO_DATA_CHARS} characters")
        found = _DATA_URL.fullmatch(value)
        if found is None or found["type"] not in LOGO_DATA_TYPES:
            raise ValueError(
                "an inline logo must be data:<type>;base64,<data> with type one of "
                + ", ".join(LOGO_DATA_TYPES)
            )
        try:
            base64.b64decode(found["payload"], validate=True)
        except binascii.Error as exc:
            raise ValueError("the inline logo's base64 data is malformed") from exc
        return value
    raise ValueError("must be an https:// URL or a data:image/...;base64 URL (no other schemes)")


def _text(value: str) -> str:
    """Plain text only: control and format characters (bidi overrides, zero-width tricks) could
    make a name look like another tenant's brand or hide text, so they are refused, not stripped."""
    value = value.strip()
    bad = [c for c in value if unicodedata.category(c) in ("Cc", "Cf") and c != "\n"]
    if bad:
        raise ValueError(f"may not contain control or format characters (found U+{ord(bad[0]):04X})")
    if not value:
        raise ValueError("may not be blank")
    return value


def _one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("must be a single line")
    return value


Colour = Annotated[str, AfterValidator(_colour)]
LogoUrl = Annotated[str, AfterValidator(_logo)]
Name = Annotated[str, Field(max_length=60), AfterValidator(_text), AfterValidator(_one_line)]
Greeting = Annotated[str, Field(max_length=500), AfterValidator(_text)]
Suggestion = Annotated[str, Field(max_length=200), AfterValidator(_text), AfterValidator(_one_line)]


class Theme(PlainTextModel):
    """Every field optional: an unset field keeps the widget's default. Unknown fields are refused
    so a typo (`primary_colour`) fails loudly instead of silently doing nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    primary_color: Colour | None = None
    accent_color: Colour | None = None
    logo_url: LogoUrl | None = None
    assistant_name: Name | None = None
    greeting: Greeting | None = None
    suggestions: tuple[Suggestion, ...] = Field(default=(), max_length=MAX_SUGGESTIONS)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def describe_errors(exc: ValidationError) -> str:
    """One line naming each bad field, the way a user wrote it (no pydantic internals)."""
    parts = []
    for e in exc.errors()[:5]:
        loc = ".".join(str(p) for p in e["loc"] if p != "body") or "theme"
        msg = str(e["msg"]).removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "is not a theme field (fields: " + ", ".join(Theme.model_fields) + ")"
        parts.append(f"{loc}: {msg}")
    return "; ".join(parts)


def parse_theme(data: object) -> Theme:
    """A `Theme` from untrusted JSON-like data, or `InvalidTheme` with a readable message."""
    try:
        return Theme.model_validate(data)
    except ValidationError as exc:
        raise InvalidTheme(f"invalid theme: {describe_errors(exc)}") from exc
