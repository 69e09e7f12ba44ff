"""SMS in tests: a message to queue in outbox tests (a real template with
realistic values), and the template file with providers' codes filled in."""

import yaml

from app.sms import catalog

NOTICE = ("case_accepted", {"project": "年产5万台电机项目", "reference": "XS-2026-000001"})
NOTICE_TEXT = "【最多跑一次】您的项目“年产5万台电机项目”（受理编号XS-2026-000001）已受理，办理进度请登录申报网站查看。"


def approved_codes(path):
    """Writes a copy of the shipped template file with a code for each provider,
    as a district's file reads once the providers approved its templates."""
    raw = yaml.safe_load(catalog.DEFAULT_FILE.read_text(encoding="utf-8"))
    for number, template in enumerate(raw["templates"].values(), start=1):
        template["codes"] = {"aliyun": f"SMS_4{number:08d}", "tencent": f"21{number:05d}"}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return raw
