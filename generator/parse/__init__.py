"""Stage 1: spec files -> IR docs.

- document.py: the page skeleton every dialect shares (title, sections, tables, fences);
- dialects/: each SDK language's Type cells, union members and markers, and `detect`;
- page.py: a page -> its doc (fields.py, enums.py, unions.py read the sections).
"""

from __future__ import annotations

from .dialects import DEFAULT, NAMES
from .dialects.detect import PageEvidence, decide
from .page import parse_document, read_page

__all__ = ["DEFAULT", "NAMES", "PageEvidence", "decide", "parse_document", "read_page"]
