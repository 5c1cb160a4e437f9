"""The functions that turn spec text into Python source, on any text: what they write means
exactly that text, stays on its line, and is what black would write."""

from __future__ import annotations

import ast
import io
import tokenize

import black
from hypothesis import given, settings
from hypothesis import strategies as st
from specgen_md.pysyntax import comment_text, docstring, string_literal

# Any character, and texts made of the ones that need escapes.
TEXT = st.text(max_size=60) | st.text(alphabet="\\\"' \t\n\r\x00\x0b\x1c\x85\u2028\u2029\ud800ab",
                                      max_size=40)
MODE = black.Mode()


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_a_string_literal_means_its_text_on_one_line_as_black_writes_it(text: str) -> None:
    literal = string_literal(text)
    assert ast.literal_eval(literal) == text
    assert "\n" not in literal and "\r" not in literal and literal.isprintable()
    source = f"x = {literal}\n"
    assert black.format_str(source, mode=MODE) == source


@settings(max_examples=400, deadline=None)
@given(TEXT, st.sampled_from(["", "    "]))
def test_a_docstring_holds_its_text_and_nothing_else(text: str, indent: str) -> None:
    quoted = docstring(text, indent)
    module = ast.parse(f"def f():\n{indent or '    '}{quoted}\n")
    function = module.body[0]
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 1
    value = ast.get_docstring(function, clean=True) or ""
    # What black keeps of a docstring: each line without its trailing spaces, the
    # indentation the later lines share, no blank lines around.
    words = [line.split() for line in text.split("\n")]
    assert [line.split() for line in value.split("\n") if line.strip()] == [
        w for w in words if w]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_a_comment_stays_one_comment(text: str) -> None:
    source = f"x = 1  # {comment_text(text)}\ny = 2\n"
    kinds = [t.type for t in tokenize.generate_tokens(io.StringIO(source).readline)]
    assert kinds.count(tokenize.COMMENT) == 1
    assert [type(s) for s in ast.parse(source).body] == [ast.Assign, ast.Assign]
