from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.specs.fieldtypes.base import FieldType, FieldValueError, registry

FULL_WIDTH = str.maketrans("0123456789.,-", "0123456789.,-")


def _parse_number(raw):
    text = (raw or "").strip().translate(FULL_WIDTH).replace(",", "").replace(" ", "")
    if not text:
        return None
    if len(text) > 30:
        raise FieldValueError("请输入数字。")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise FieldValueError("请输入数字。") from exc
    if not number.is_finite():
        raise FieldValueError("请输入数字。")
    return number


def _check_range(number, field):
    low, high = field.constraints.get("min"), field.constraints.get("max")
    if low is not None and number < Decimal(str(low)):
        raise FieldValueError("不能小于%(min)s。", min=low)
    if high is not None and number > Decimal(str(high)):
        raise FieldValueError("不能大于%(max)s。", max=high)


@registry.register
class Integer(FieldType):
    name = "integer"
    input_mode = "numeric"

    def clean(self, raw, field):
        number = _parse_number(raw) if isinstance(raw, str) else (None if raw is None else Decimal(raw))
        if number is None:
            return None
        if number != number.to_integral_value():
            raise FieldValueError("请输入整数。")
        _check_range(number, field)
        return int(number)

    def form_value(self, stored):
        return "" if stored is None else str(stored)

    def display(self, stored, field, lang):
        return "" if stored is None else f"{stored:,}"

    def computed(self, value, field):
        """A computed result → stored form (rounded to a whole number)."""
        if value is None:
            return None
        try:
            return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        except (InvalidOperation, ValueError):
            return None


@registry.register
class DecimalType(FieldType):
    """A number with a fixed count of decimals and usually a unit (万元, m², tce…).

    Stored as a string so that money never passes through binary floats.
    """

    name = "decimal"
    input_mode = "decimal"

    def places(self, field):
        return field.constraints.get("decimals", 2)

    def clean(self, raw, field):
        number = _parse_number(raw) if isinstance(raw, str) else (None if raw is None else Decimal(str(raw)))
        if number is None:
            return None
        places = self.places(field)
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise FieldValueError("最多保留%(places)s位小数。", places=places)
        _check_range(number, field)
        if abs(number) >= Decimal(10) ** 15:
            raise FieldValueError("数值过大。")
        return str(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))

    def typed(self, stored):
        return None if stored is None else Decimal(stored)

    def form_value(self, stored):
        return "" if stored is None else str(stored)

    def display(self, stored, field, lang):
        if stored is None:
            return ""
        places = self.places(field)
        return f"{Decimal(stored):,.{places}f}"

    def computed(self, value, field):
        """A computed result → stored form (rounded to the field's decimals)."""
        if value is None:
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return str(number.quantize(Decimal(1).scaleb(-self.places(field)), rounding=ROUND_HALF_UP))
