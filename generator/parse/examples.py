"""TypeScript example literals -> plain data.

Example Usage fences hold `let value: Name = <expr>;` where <expr> is a JavaScript
literal: unquoted keys, quoted keys, trailing commas, `null`, `new Date("...")`,
comments. This module reads exactly that subset into JSON-like Python data (dict, list,
str, int, float, bool, None). Integers stay `int`, so the generated models can prove
that they keep them.
"""

from __future__ import annotations

import math
import re
from typing import Any

from ..ir import NESTING_LIMIT, EnumMemberRef, PlatformValue

_DECLARATION = re.compile(r"\b(?:let|const|var)\s+value\b\s*(?::[^=]*)?=")
_NUMBER = re.compile(
    r"-?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)n?"
)
_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
# Whitespace (as str.isspace) and comments; an unterminated `/*` is left for the caller.
_BLANK = re.compile(r"(?:\s+|//[^\n]*\n?|/\*.*?\*/)*", re.DOTALL)
# The characters a string literal holds as they are, by its quote: all but the quote, the
# backslash and (but in a template literal) a line break.
_PLAIN = {'"': re.compile(r'[^"\\\n]*'), "'": re.compile(r"[^'\\\n]*"),
          "`": re.compile(r"[^`\\]*")}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class LiteralError(ValueError):
    """A literal that cannot be read; `offset` is where, in the text given to the
    parser."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def find_example(code: str) -> tuple[int, str] | None:
    """The offset and text of the expression assigned to `value` in a fence, or None."""
    match = _DECLARATION.search(code)
    if match is None or code[match.end() :].lstrip().startswith(";"):
        return None  # no declaration, or one without a value (`const value: T = ;`)
    return match.end(), code[match.end() :]


def parse_literal(text: str, *, allow_rest: bool = True) -> tuple[Any, int]:
    """Parse one literal at the start of `text`; return it and where it ends."""
    parser = _Parser(text)
    value = parser.value()
    end = parser.pos
    parser.skip()
    if not allow_rest and parser.pos < len(text):
        raise LiteralError("unexpected text after the value", parser.pos)
    return value, end


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0  # of the objects and arrays being read

    def fail(self, message: str) -> LiteralError:
        return LiteralError(message, self.pos)

    def skip(self) -> None:
        """Skip whitespace and comments."""
        blank = _BLANK.match(self.text, self.pos)  # matches always, if only nothing
        assert blank is not None
        self.pos = blank.end()
        if self.text.startswith("/*", self.pos):
            raise self.fail("unterminated comment")

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def expect(self, ch: str) -> None:
        if self.peek() != ch:
            found = self.text[self.pos : self.pos + 1] or "end of text"
            raise self.fail(f"expected {ch!r}, found {found!r}")
        self.pos += 1

    def value(self) -> Any:
        ch = self.peek()
        if not ch:
            raise self.fail("unexpected end of text")
        if ch in "{[":
            self.depth += 1
            if self.depth > NESTING_LIMIT:
                raise self.fail(f"a value nested more than {NESTING_LIMIT} deep")
            found = self.object() if ch == "{" else self.array()
            self.depth -= 1
            return found
        if ch in "\"'`":
            return self.string()
        if ch == "-" and self.text.startswith("Infinity", self.pos + 1):
            self.pos += len("-Infinity")
            return PlatformValue("-Infinity")
        if ch == "-" or ch == "." or ch.isdigit():
            return self.number()
        match = _IDENT.match(self.text, self.pos)
        if match is None:
            raise self.fail(f"unexpected {ch!r}" if ch else "unexpected end of text")
        word = match.group()
        self.pos = match.end()
        if word in ("true", "false"):
            return word == "true"
        if word in ("null", "undefined"):
            return None
        if word in ("NaN", "Infinity"):
            return PlatformValue(word)  # a number JSON cannot carry
        if word == "new":
            return self.constructor()
        if word == "await":
            return self.value()
        if self.peek() == "(":
            # A call (`openAsBlob("example.file")`) makes an SDK runtime object.
            self.arguments()
            return PlatformValue(word)
        if self.text.startswith(".", self.pos):
            # `BoolInt.True`: a member of an SDK enum, by name; resolved against the
            # specs.
            member = _IDENT.match(self.text, self.pos + 1)
            if member is not None:
                self.pos = member.end()
                return EnumMemberRef(word, member.group())
        raise LiteralError(f"unexpected name {word!r}", match.start())

    def constructor(self) -> Any:
        """`new Date("...")` is data (its argument); any other constructor (`new
        Response(...)`, `new Blob(...)`) builds an SDK runtime object, which is not."""
        self.skip()
        match = _IDENT.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected a constructor name after `new`")
        self.pos = match.end()
        arguments = self.arguments()
        if match.group() == "Date" and len(arguments) == 1:
            return arguments[0]
        return PlatformValue(match.group())

    def arguments(self) -> list[Any]:
        """`(a, b)`: a call's arguments."""
        self.expect("(")
        arguments = []
        while self.peek() != ")":
            if not self.peek():
                raise self.fail("unterminated argument list: expected ')'")
            arguments.append(self.value())
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != ")":
                raise self.fail("expected ',' or ')'")
        self.pos += 1
        return arguments

    def object(self) -> dict[str, Any]:
        self.expect("{")
        result: dict[str, Any] = {}
        while self.peek() != "}":
            ch = self.peek()
            if not ch:
                raise self.fail("unterminated object: expected '}'")
            if ch in "\"'`":
                key = self.string()
            elif ch == "[":
                raise self.fail("computed keys are not supported")
            else:
                match = _IDENT.match(self.text, self.pos) or _NUMBER.match(
                    self.text, self.pos
                )
                if match is None or not match.group():
                    raise self.fail("expected a key")
                key = match.group()
                self.pos = match.end()
            self.expect(":")
            result[key] = self.value()
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "}":
                raise self.fail("expected ',' or '}'")
        self.pos += 1
        return result

    def array(self) -> list[Any]:
        self.expect("[")
        result: list[Any] = []
        while self.peek() != "]":
            if not self.peek():
                raise self.fail("unterminated array: expected ']'")
            result.append(self.value())
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "]":
                raise self.fail("expected ',' or ']'")
        self.pos += 1
        return result

    def number(self) -> int | float:
        match = _NUMBER.match(self.text, self.pos)
        if match is None or match.group() in ("-", ".", "-."):
            raise self.fail("malformed number")
        raw = match.group().replace("_", "")
        try:
            if raw.endswith("n"):  # a BigInt: digits only (`1.5n`, `0x_n` are no numbers)
                number: int | float = int(raw[:-1], 0)
            elif raw.lstrip("-").lower().startswith("0x"):
                number = int(raw, 16)
            elif any(c in raw for c in ".eE"):
                number = float(raw)
            else:
                number = int(raw)
        except ValueError:  # a malformed number, or one of more digits than Python reads
            raise self.fail("malformed number") from None
        if isinstance(number, float) and not math.isfinite(number):
            raise self.fail("a number beyond a float's range")  # JSON has no infinity
        self.pos = match.end()
        return number

    def string(self) -> str:
        quote = self.text[self.pos]
        start = self.pos
        self.pos += 1
        out: list[str] = []
        text = self.text
        plain = _PLAIN[quote]
        while True:
            run = plain.match(text, self.pos)  # matches always, if only nothing
            assert run is not None
            out.append(run.group())
            self.pos = run.end()
            if self.pos >= len(text):
                raise LiteralError("unterminated string", start)
            ch = text[self.pos]
            if ch == quote:
                self.pos += 1
                return "".join(out)
            if ch == "\\":
                self.pos += 1
                out.append(self.escape())
                continue
            raise LiteralError("unterminated string", start)  # a line break

    def escape(self) -> str:
        text = self.text
        if self.pos >= len(text):
            raise self.fail("unterminated escape")
        ch = text[self.pos]
        self.pos += 1
        if ch in _ESCAPES and not (
            ch == "0" and text[self.pos : self.pos + 1].isdigit()
        ):
            return _ESCAPES[ch]
        if ch == "x":
            return self.hex_digits(2)
        if ch == "u":
            if text.startswith("{", self.pos):
                end = text.find("}", self.pos)
                if end < 0:
                    raise self.fail("malformed \\u{...} escape")
                digits = text[self.pos + 1 : end]
                self.pos = end + 1
                return self.code_point(digits)
            first = self.hex_digits(4)
            # A UTF-16 surrogate pair spelled as two escapes is one character.
            if 0xD800 <= ord(first) <= 0xDBFF and text.startswith("\\u", self.pos):
                save = self.pos
                self.pos += 2
                second = self.hex_digits(4)
                if 0xDC00 <= ord(second) <= 0xDFFF:
                    return chr(
                        0x10000 + ((ord(first) - 0xD800) << 10) + ord(second) - 0xDC00
                    )
                self.pos = save
            return first
        if ch == "\n":  # line continuation
            return ""
        return ch

    def hex_digits(self, count: int) -> str:
        digits = self.text[self.pos : self.pos + count]
        self.pos += count
        return self.code_point(digits)

    def code_point(self, digits: str) -> str:
        try:
            return chr(int(digits, 16))
        except ValueError:
            raise self.fail(f"malformed escape {digits!r}") from None
