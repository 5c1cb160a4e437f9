"""Python names derived from spec names."""

from __future__ import annotations

import keyword

import pytest
from pydantic import BaseModel

from specgen_md.naming import (
    PYDANTIC_NAMES,
    attribute_name,
    enum_member_names,
    module_name,
    snake_case,
    unique_attribute_names,
)


def test_pydantic_names_cover_the_installed_pydantic() -> None:
    public = {n for n in dir(BaseModel) if not n.startswith("_")}
    assert public <= PYDANTIC_NAMES


@pytest.mark.parametrize(("name", "snake"), [
    ("jsonSchema", "json_schema"), ("ephemeral5mInputTokens", "ephemeral5m_input_tokens"),
    ("subMerchantID", "sub_merchant_id"), ("HTTPMeta", "http_meta"), ("type", "type"),
    ("a-b.c", "a_b_c"),
])
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


@pytest.mark.parametrize(("name", "attribute"), [
    ("from", "from_"), ("lambda", "lambda_"), ("and", "and_"), ("schema", "schema_"),
    ("model_config", "model_config_"), ("str", "str_"), ("date", "date_"), ("id", "id"),
    ("type", "type"), ("_private", "private"), ("1st", "field_1st"), ("", "field"),
])
def test_attribute_names_are_safe(name: str, attribute: str) -> None:
    assert attribute_name(name) == attribute
    assert attribute.isidentifier() and not keyword.iskeyword(attribute)


def test_attribute_names_are_distinct() -> None:
    assert unique_attribute_names(["a_b", "aB", "aB_"]) == ["a_b", "a_b_", "a_b__"]
    assert unique_attribute_names(["aB", "a_b"]) == ["a_b_", "a_b"]
    assert unique_attribute_names(["x", "y"], fixed={"y": "x_"}) == ["x", "x_"]
    assert unique_attribute_names(["jsonSchema"], policy="spec") == ["jsonSchema"]


def test_enum_member_names() -> None:
    assert enum_member_names(["created", "-created", "in_progress", "1024x1024", "*/*", ""]) == [
        "CREATED", "MINUS_CREATED", "IN_PROGRESS", "VALUE_1024X1024", "STAR_SLASH_STAR", "EMPTY"]
    assert enum_member_names([0, -1, 200, 1.5]) == [
        "VALUE_0", "VALUE_MINUS_1", "VALUE_200", "VALUE_1_DOT_5"]
    names = enum_member_names(["VALUE", "value", "1", "a", "A", "a_2"])
    assert len(set(names)) == len(names)


def test_module_names_avoid_keywords_and_reserved_modules() -> None:
    assert module_name("Import") == "import_"
    assert module_name("Match") == "match_"
    assert module_name("_Runtime") == "_runtime_"
    assert module_name("OrderLine") == "orderline"
