"""Mobile numbers: parse what people type, store E.164."""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
MAX_INPUT_LENGTH = 32


class InvalidPhone(ValueError):
    pass


class UnsupportedRegion(InvalidPhone):
    """A valid mobile number of a country the site does not send codes to."""


def normalize_mobile(raw, region="CN", country_codes=None):
    """Return the E.164 form of a mobile number, or raise InvalidPhone.

    Accepts `13812345678`, `+86 138 1234 5678`, `0086 138…` and valid
    mobiles of other regions in international form. Landlines, short codes
    and anything malformed are refused; with `country_codes`, so are mobiles
    of other countries (UnsupportedRegion).
    """
    text = (raw or "").strip()
    if not text or len(text) > MAX_INPUT_LENGTH:
        raise InvalidPhone(raw)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise InvalidPhone(raw) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(raw)
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise InvalidPhone(raw)
    if country_codes is not None and number.country_code not in country_codes:
        raise UnsupportedRegion(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def masked(e164):
    """+8613812345678 → +86 138****5678, for pages that echo the number."""
    if len(e164) < 8:
        return e164
    return f"{e164[:-8]}****{e164[-4:]}"
