"""Dates and date-times as doc pages write them: what a text says it is, and its wire form.

One place for these rules: the parser decides a field's kind by its example where a dialect's
labels are loose (PHP, Ruby, Python), and the resolver keeps only the examples the generated
models read (a `date` is `YYYY-MM-DD` on the wire, a date-time RFC 3339).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .ir import Primitive

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# RFC 3339 (`T` or a space between the date and the time), the zone left out or not.
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?P<zone>[Zz]|[+-]\d{2}:?\d{2})?")
# Go's `time.Time.String()`: `2005-09-29 00:00:00 +0000 UTC`
_GO_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)? ([+-]\d{2})(\d{2}) [A-Z]{2,5}")


def date_from_example(example: str) -> Primitive | None:
    """What an Example cell says a date field is: `YYYY-MM-DD` a date, RFC 3339 with a zone
    a date-time. Go's `time.Time` form at midnight UTC (`2005-09-29 00:00:00 +0000 UTC`,
    how the PHP and Ruby SDKs print calendar dates such as `originallyAvailableAt`) is a
    date; at another time of day a date-time. None when the example says neither."""
    text = example.strip()
    if _DATE.fullmatch(text):
        return Primitive.DATE
    stamp = _DATETIME.fullmatch(text)
    if stamp and stamp.group("zone"):
        return Primitive.DATETIME
    go = _GO_TIME.fullmatch(text)
    if go:
        midnight = go.group(2) == "00:00:00" and not (go.group(3) or "").strip(".0")
        utc = text.endswith(("+0000 UTC", "+0000 GMT"))
        return Primitive.DATE if midnight and utc else Primitive.DATETIME
    return None


def wire_form(text: str, kind: Primitive) -> str:
    """A date (or date-time) example as the wire writes it: Go's form becomes `2005-09-29`
    (or `2005-09-29T10:30:00+00:00`); any other text is left as it is."""
    go = _GO_TIME.fullmatch(text.strip())
    if go is None:
        return text
    day, time, fraction, hours, minutes = go.groups()
    if kind is Primitive.DATE:
        return day
    return f"{day}T{time}{fraction or ''}{hours}:{minutes}"


def fits(text: str, kind: Primitive) -> bool:
    """Whether a text is a date (`YYYY-MM-DD`) or a date-time (RFC 3339) as `kind` says, of
    a day and time there are (not `2024-02-30`, `99:99`)."""
    if not (_DATE if kind is Primitive.DATE else _DATETIME).fullmatch(text):
        return False
    try:
        if kind is Primitive.DATE:
            date.fromisoformat(text)
        else:  # Python reads `Z` and `T`; RFC 3339 allows `z`, `t` and a space
            datetime.fromisoformat(text.upper().replace(" ", "T", 1).replace("Z", "+00:00"))
    except ValueError:
        return False
    return True
