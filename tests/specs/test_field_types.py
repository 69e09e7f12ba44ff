"""Field types: cleaning what people type into stored values."""

import pytest

from app.specs import fieldtypes
from app.specs.fieldtypes import FieldValueError
from app.specs.identifiers import is_valid_resident_id, is_valid_uscc
from app.specs.model import Field


def make(type_name, **constraints):
    return Field(id="f", type=fieldtypes.get(type_name), label="字段", constraints=constraints,
                 options=constraints.pop("options", None))


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_valid_credit_codes(code):
    assert is_valid_uscc(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43", ""])
def test_invalid_credit_codes(code):
    assert not is_valid_uscc(code)


def test_resident_id_checksum_and_birth_date():
    assert is_valid_resident_id("11010519491231002X")
    assert not is_valid_resident_id("110105194912310021")
    assert not is_valid_resident_id("110105194913310025")  # month 13


@pytest.mark.parametrize(("typed", "stored"), [("1,234.5", "1234.50"), ("12", "12.00"), ("0.01", "0.01"),
                                               ("1234.5", "1234.50")])
def test_decimal_cleaning(typed, stored):
    assert fieldtypes.get("decimal").clean(typed, make("decimal", decimals=2)) == stored


@pytest.mark.parametrize("typed", ["abc", "1.234", "NaN", "Infinity", "1e999999"])
def test_decimal_refuses(typed):
    with pytest.raises(FieldValueError):
        fieldtypes.get("decimal").clean(typed, make("decimal", decimals=2))


def test_decimal_range():
    with pytest.raises(FieldValueError):
        fieldtypes.get("decimal").clean("-1", make("decimal", min=0))


def test_month_and_date():
    assert fieldtypes.get("month").clean("2026年3月", make("month")) == "2026-03"
    assert fieldtypes.get("date").clean("2026-02-28", make("date")) == "2026-02-28"
    with pytest.raises(FieldValueError):
        fieldtypes.get("date").clean("2026-02-30", make("date"))


def test_mobile_is_stored_e164():
    assert fieldtypes.get("mobile").clean("138 1234 5678", make("mobile")) == "+8613812345678"
    with pytest.raises(FieldValueError):
        fieldtypes.get("mobile").clean("010-12345678", make("mobile"))


def test_checkboxes_keep_spec_order_and_refuse_strangers():
    field = make("checkboxes", options=[{"value": "a", "label": "A"}, {"value": "b", "label": "B"}])
    assert fieldtypes.get("checkboxes").clean(["b", "a", "b"], field) == ["a", "b"]
    with pytest.raises(FieldValueError):
        fieldtypes.get("checkboxes").clean(["z"], field)


def test_registry_refuses_duplicates():
    with pytest.raises(ValueError, match="registered twice"):
        fieldtypes.registry.register(type(fieldtypes.get("text")))


@pytest.mark.parametrize("field_type, value, message", [
    ("credit_code", "91350100M000100Y4", "应为18位，您填写了17位"),
    ("credit_code", "91350100M000100Y4I", "只含数字和大写字母"),
    ("credit_code", "91350100M000100Y44", "最后一位（校验位）与前17位不符"),
    ("resident_id", "1101051949123100", "应为18位，您填写了16位"),
    ("resident_id", "11010519491231002Y", "前17位应为数字"),
    ("resident_id", "110105194913310025", "出生日期不是有效日期"),
    ("resident_id", "110105194912310021", "最后一位（校验位）与前17位不符"),
])
def test_identifier_errors_say_exactly_what_is_wrong(field_type, value, message):
    spec_field = Field(id="x", type=fieldtypes.registry[field_type], label="x")
    with pytest.raises(FieldValueError) as caught:
        spec_field.type.clean(value, spec_field)
    assert message in caught.value.message % caught.value.params
