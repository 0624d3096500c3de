"""Input rules shared by many fields: names free of control characters, https origins a
public page may be framed by, and uploaded logos that really are images.

- :func:`validate_plain_name`: every name that can reach an email header or subject (an
  agency's name, a person's full name, unit and item names shown in notifications) refuses
  control characters (line breaks, tabs, NUL, the C1 range, Unicode line/paragraph
  separators and bidirectional overrides): a line break in a header either breaks the
  email or smuggles in a header of its own.
- :func:`parse_origins`: the agency's embed origins, one ``https://host[:port]`` per line.
- :func:`validate_logo_image`: PNG, JPEG or WebP only, verified by decoding it with Pillow
  (the file's own bytes decide, never its name or the browser's content type); at most
  :data:`LOGO_MAX_BYTES` and :data:`LOGO_MAX_SIDE` pixels a side. SVG is refused: an SVG is
  a document that can carry script and external references, and sanitising it safely is a
  project of its own; a raster logo is what a header needs.
"""

from __future__ import annotations

import unicodedata
from typing import IO, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

# Unicode separators and bidirectional controls that Python's category "C" does not flag as
# control characters but that break or disguise a header line.
_EXTRA_FORBIDDEN = {"\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"}


def has_control_characters(value: str) -> bool:
    return any(
        (unicodedata.category(ch) in ("Cc", "Cf") and ch not in ("\u200d", "\u00ad"))
        or ch in _EXTRA_FORBIDDEN
        for ch in value
    )


def validate_plain_name(value: str) -> None:
    """Refuse control characters (line breaks, tabs, NUL, invisible format characters)."""
    if value and has_control_characters(value):
        raise ValidationError(
            gettext(
                "Use letters, digits, spaces and punctuation only: line breaks, tabs and other "
                "control characters are not allowed in names."
            ),
            code="control_characters",
        )


# --- Embed origins --------------------------------------------------------------------------

MAX_EMBED_ORIGINS = 20


def normalise_origin(value: str) -> str:
    """``value`` as ``https://host[:port]`` (lower case), or ValidationError."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise ValidationError(gettext("%(text)s is not a web address.") % {"text": text}) from error
    if parts.scheme.lower() != "https":
        raise ValidationError(
            gettext("%(text)s: only https:// origins can embed the scorecard.") % {"text": text}
        )
    host = (parts.hostname or "").lower()
    if not host or "*" in text or parts.username or parts.password:
        raise ValidationError(
            gettext("%(text)s is not an origin such as https://www.example.gov.") % {"text": text}
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValidationError(
            gettext("%(text)s: give the origin only (https://www.example.gov), without a path.")
            % {"text": text}
        )
    if any(ch in host for ch in " ;,'\"") or has_control_characters(host):
        raise ValidationError(gettext("%(text)s is not a valid host name.") % {"text": text})
    return f"https://{host}" + (f":{port}" if port and port != 443 else "")


def parse_origins(text: str) -> list[str]:
    """One origin per line (blank lines ignored, duplicates dropped), each validated."""
    origins: list[str] = []
    errors: list[ValidationError] = []
    for line in (text or "").replace(",", "\n").splitlines():
        if not line.strip():
            continue
        try:
            origin = normalise_origin(line)
        except ValidationError as error:
            errors.append(error)
            continue
        if origin not in origins:
            origins.append(origin)
    if errors:
        raise ValidationError(errors)
    if len(origins) > MAX_EMBED_ORIGINS:
        raise ValidationError(
            gettext("List at most %(MAX_EMBED_ORIGINS)s origins.")
            % {"MAX_EMBED_ORIGINS": MAX_EMBED_ORIGINS}
        )
    return origins


def validate_embed_origins(value: Any) -> None:
    """Model-level check of the stored list (what the form saved is already normalised)."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(gettext("Embed origins must be a list of https origins."))
    for origin in value:
        if normalise_origin(origin) != origin:
            raise ValidationError(
                gettext("%(origin)s is not a normalized https origin.") % {"origin": origin}
            )


# --- Logos ----------------------------------------------------------------------------------

LOGO_MAX_BYTES = 200 * 1024
LOGO_MAX_SIDE = 2000  # pixels; also bounds the decompression work (no image bombs)
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
LOGO_HELP = (
    "PNG, JPEG or WebP, at most 200 KB and 2000 pixels a side; shown on the public scorecard."
)


def validate_logo_image(file: IO[bytes] | Any) -> str:
    """Check an uploaded logo; return its content type. Raises ValidationError."""
    from PIL import Image, UnidentifiedImageError

    size = getattr(file, "size", None)
    if size is not None and size > LOGO_MAX_BYTES:
        raise ValidationError(gettext("The logo must be at most 200 KB."), code="too_large")
    problem = ValidationError(
        gettext(
            "The logo must be a PNG, JPEG or WebP image (SVG and other files are not accepted)."
        ),
        code="not_an_image",
    )
    try:
        file.seek(0)
        with Image.open(file, formats=list(LOGO_FORMATS)) as image:
            kind = image.format or ""
            width, height = image.size
            if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                raise ValidationError(
                    gettext("The logo may be at most %(LOGO_MAX_SIDE)s pixels wide and high.")
                    % {"LOGO_MAX_SIDE": LOGO_MAX_SIDE},
                    code="too_large",
                )
            image.verify()  # the structure and checksums, without decoding every pixel
        file.seek(0)
        with Image.open(file, formats=list(LOGO_FORMATS)) as image:
            image.load()  # decoding it fully catches truncated or corrupt data
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise problem from error
    finally:
        file.seek(0)
    if kind not in LOGO_FORMATS:
        raise problem
    return LOGO_FORMATS[kind]
