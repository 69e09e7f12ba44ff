"""The official project code (项目代码) an officer types when completing a case.

24 characters in five parts, `YYMM-RRRRRR-DD-TT-NNNNNN` since 2020-11-01 (year
and month of issue, the six-digit region code, the guidance-department code,
the project type, six characters of random code and check): a real
Xiaoshan filing of 2023-11 reads `2311-330109-04-01-789813`. Older projects
keep `YYYY-RRRRRR-DD-TT-NNNNNN`, whose first part is a year from 2015 to 2020.
The district records the code the national platform issued; it never makes one.
"""

import re

from app.messages import N_

SHAPE = re.compile(r"^([0-9]{4})-([0-9A-Za-z]*)-([0-9A-Za-z]*)-([0-9A-Za-z]*)-([0-9A-Za-z]*)$")
EXAMPLE = "2311-330109-04-01-789813"


def problem(code, today):
    """None for a well-formed code, else (msgid, params) saying which part is wrong."""
    code = (code or "").strip().upper()
    match = SHAPE.match(code)
    if not match or len(code) != 24:
        return N_("项目代码应为24位，分五段，如 %(example)s。"), {"example": EXAMPLE}
    first, region, department, kind, serial = match.groups()
    if 2015 <= int(first) <= 2020:
        pass  # the form of before 2020-11: a year
    else:
        year, month = 2000 + int(first[:2]), int(first[2:])
        if not 1 <= month <= 12:
            return N_("项目代码第一段“%(part)s”不是有效的年月（年份后两位+月份）。"), {"part": first}
        if (year, month) > (today.year, today.month):
            return N_("项目代码第一段“%(part)s”的年月晚于今天。"), {"part": first}
        if (year, month) < (2020, 11):
            return N_("项目代码第一段“%(part)s”:2020年11月以前的代码以四位年份开头（2015至2020）。"), {"part": first}
    if not (len(region) == 6 and region.isdigit()):
        return N_("项目代码第二段应为6位数字的行政区划代码（萧山区为330109），现为“%(part)s”。"), {"part": region}
    if not (len(department) == 2 and department.isdigit()):
        return N_("项目代码第三段应为2位数字的行业主管部门代码，现为“%(part)s”。"), {"part": department}
    if not (len(kind) == 2 and kind.isdigit()):
        return N_("项目代码第四段应为2位数字的项目类型代码，现为“%(part)s”。"), {"part": kind}
    if len(serial) != 6:
        return N_("项目代码第五段应为6位，现为“%(part)s”。"), {"part": serial}
    return None


def normalized(code):
    return (code or "").strip().upper()
