"""Check characters of Chinese identifiers.

Unified social credit code (GB 32100-2015) and resident ID number (GB 11643).
"""

import datetime as dt
import re

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")


def uscc_check_char(first17):
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code):
    """None for a valid code, else what is wrong: "length", "characters" or "check"."""
    code = (code or "").strip().upper()
    if len(code) != 18:
        return "length"
    if not USCC_RE.match(code):
        return "characters"
    return None if uscc_check_char(code[:17]) == code[17] else "check"


def is_valid_uscc(code):
    return uscc_problem(code) is None


def id_check_char(first17):
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True)) % 11]


def resident_id_problem(number):
    """None for a valid number, else what is wrong: "length", "characters", "birth_date" or "check"."""
    number = (number or "").strip().upper()
    if len(number) != 18:
        return "length"
    if not ID_RE.match(number):
        return "characters"
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return "birth_date"
    if not dt.date(1900, 1, 1) <= born <= dt.date.today():
        return "birth_date"
    return None if id_check_char(number[:17]) == number[17] else "check"


def is_valid_resident_id(number):
    return resident_id_problem(number) is None
