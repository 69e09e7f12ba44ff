from app.messages import N_
from app.specs.fieldtypes.base import FieldType, FieldValueError, registry
from app.specs.identifiers import resident_id_problem, uscc_problem

# What exactly is wrong, so that the applicant knows what to look at.
USCC_MESSAGES = {
    "length": N_("统一社会信用代码应为18位，您填写了%(n)s位。"),
    "characters": N_("统一社会信用代码只含数字和大写字母（不用I、O、Z、S、V），请对照营业执照核对。"),
    "check": N_("统一社会信用代码的最后一位（校验位）与前17位不符，请对照营业执照逐位核对。"),
}
RESIDENT_ID_MESSAGES = {
    "length": N_("身份证号码应为18位，您填写了%(n)s位。"),
    "characters": N_("身份证号码前17位应为数字，最后一位为数字或X。"),
    "birth_date": N_("身份证号码第7至14位的出生日期不是有效日期，请核对。"),
    "check": N_("身份证号码的最后一位（校验位）与前17位不符，请逐位核对。"),
}


@registry.register
class CreditCode(FieldType):
    """统一社会信用代码, GB 32100-2015."""

    name = "credit_code"

    def clean(self, raw, field):
        value = super().clean(raw, field)
        if value is None:
            return None
        value = value.upper().replace(" ", "")
        problem = uscc_problem(value)
        if problem:
            raise FieldValueError(USCC_MESSAGES[problem], n=len(value))
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
        problem = resident_id_problem(value)
        if problem:
            raise FieldValueError(RESIDENT_ID_MESSAGES[problem], n=len(value))
        return value
