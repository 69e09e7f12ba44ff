from app.specs.fieldtypes.base import FieldType, FieldValueError, registry
from app.specs.identifiers import is_valid_resident_id, is_valid_uscc


@registry.register
class CreditCode(FieldType):
    """统一社会信用代码, GB 32100-2015."""

    name = "credit_code"

    def clean(self, raw, field):
        value = super().clean(raw, field)
        if value is None:
            return None
        value = value.upper().replace(" ", "")
        if not is_valid_uscc(value):
            raise FieldValueError("统一社会信用代码应为18位,且校验位正确(见营业执照)。")
        return value


@registry.register
class ResidentId(FieldType):
    """居民身份证号码, GB 11643."""

    name = "resident_id"

    def clean(self, raw, field):
        value = super().clean(raw, field)
        if value is None:
            return None
        value = value.upper().replace(" ", "")
        if not is_valid_resident_id(value):
            raise FieldValueError("身份证号码应为18位,且校验位和出生日期正确。")
        return value
