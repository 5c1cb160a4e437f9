"""Stage 1: spec files -> IR docs."""

from __future__ import annotations

from .document import parse_document

__all__ = ["parse_document"]
