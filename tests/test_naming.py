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
    wire_camel_case,
    wire_snake_case,
)


def test_pydantic_names_cover_the_installed_pydantic() -> None:
    public = {n for n in dir(BaseModel) if not n.startswith("_")}
    assert public <= PYDANTIC_NAMES


@pytest.mark.parametrize(("name", "snake"), [
    ("jsonSchema", "json_schema"), ("ephemeral5mInputTokens", "ephemeral_5m_input_tokens"),
    ("ephemeral1h", "ephemeral_1h"), ("sha256", "sha256"), ("p50", "p50"), ("b64Json", "b64_json"),
    ("subMerchantID", "sub_merchant_id"), ("HTTPMeta", "http_meta"), ("type", "type"),
    ("a-b.c", "a_b_c"), ("AgenticIndex", "agentic_index"), ("AccountID", "account_id"),
    ("APIKey", "api_key"), ("filter_", "filter"), ("already_snake_1h", "already_snake_1h"),
    ("Content-Type", "content_type"), ("x509Cert", "x509_cert"),
])
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


@pytest.mark.parametrize(("name", "attribute"), [
    ("from", "from_"), ("lambda", "lambda_"), ("and", "and_"), ("schema", "schema_"),
    ("model_config", "model_config_"), ("str", "str"), ("date", "date"), ("id", "id"),
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


def test_enum_members_take_the_names_the_sdk_gives() -> None:
    """An enum table's Name column names the members (Go's, after their type's title), a
    value without one is named by itself, and names stay distinct."""
    assert enum_member_names([0, 1], ["DISABLE", "ENABLE"], "AllowSync") == ["DISABLE", "ENABLE"]
    assert enum_member_names(["asc", "desc"], ["Ascending", "Descending"], "Sort") == [
        "ASCENDING", "DESCENDING"]
    assert enum_member_names([0, 2], ["ForcedPreferNonForced", "ForcedOnlyForced"],
                             "Forced") == ["PREFER_NON_FORCED", "ONLY_FORCED"]
    assert enum_member_names([0, 1], ["ForcedOff", "On"], "Forced") == ["FORCED_OFF", "ON"]
    # a title followed by no new word is no prefix: `Size1` is not Go's `Size` + `1`
    assert enum_member_names([1, 2], ["Size1", "Size2"], "Size") == ["SIZE1", "SIZE2"]
    assert enum_member_names([1, 2, 3], ["TvShow", None, "1st"]) == [
        "TV_SHOW", "VALUE_2", "VALUE_1ST"]
    assert enum_member_names(["a", "b"], ["Same", "Same"]) == ["SAME", "SAME_2"]


def test_module_names_avoid_keywords_and_reserved_modules() -> None:
    assert module_name("Import") == "import_"
    assert module_name("Match") == "match_"
    assert module_name("_Runtime") == "_runtime_"
    assert module_name("OrderLine") == "orderline"


@pytest.mark.parametrize(("name", "wire"), [
    ("createdAt", "created_at"), ("ephemeral1hInputTokens", "ephemeral_1h_input_tokens"),
    ("b64Json", "b64_json"), ("_shape", "_shape"), ("__class__", "__class__"),
    ("filter_", "filter"), ("format_", "format"), ("name_", "name_"), ("a_b", "a_b"),
    ("AccountID", "account_id"), ("None", "none"),
])
def test_wire_snake_case(name: str, wire: str) -> None:
    assert wire_snake_case(name) == wire


@pytest.mark.parametrize(("name", "wire"), [
    ("created_at", "createdAt"), ("CreatedAt", "createdAt"), ("createdAt", "createdAt"),
    ("ephemeral_1h_input_tokens", "ephemeral1hInputTokens"), ("b64_json", "b64Json"),
    ("filter_", "filter"), ("id", "id"), ("_shape", "_shape"),
    # the docs' capitals kept (C#, Java): the first word alone is lowered
    ("DownloadURL", "downloadURL"), ("downloadURL", "downloadURL"), ("UserID", "userID"),
    ("HTTPStatus", "httpStatus"), ("DOVIBLCompatID", "doviblCompatID"), ("ID", "id"),
    ("Size1", "size1"), ("B64Json", "b64Json"),
])
def test_wire_camel_case(name: str, wire: str) -> None:
    assert wire_camel_case(name) == wire
