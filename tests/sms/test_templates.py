"""The SMS templates: every message the code sends is defined, short, free of
rule ids and brackets, and stays within its budget whatever the parameters."""

import logging

import pytest
import yaml

from app.sms import catalog
from app.sms import service as sms
from app.sms.models import SmsStatus
from tests.support.sms import approved_codes

SIGNATURE = "【最多跑一次】"
LONG_NAME = "杭州市萧山区" + "年产十万套新能源汽车动力电池精密结构件智能制造项目" * 4 + "（一期）"


@pytest.fixture
def shipped():
    return catalog.load(catalog.DEFAULT_FILE, SIGNATURE)


def _write(tmp_path, templates):
    path = tmp_path / "sms_templates.yaml"
    path.write_text(yaml.safe_dump({"templates": templates}, allow_unicode=True), encoding="utf-8")
    return path


def _one(text, **params):
    return {"t": {"kind": "notice", "text": text, "params": params or {"project": {"max": 30}}}}


def test_every_message_the_code_sends_has_a_template_with_its_parameters(app, shipped):
    assert catalog.DECLARED  # filled as the app's modules were imported
    assert catalog.check_declared(shipped) == []
    assert {"sign_in_code", "authority_escalated", "authority_rejected", "case_accepted", "case_returned",
            "case_completed", "courier_dispatched"} <= set(catalog.DECLARED)


def test_every_template_fits_its_budget_with_the_longest_parameters(shipped):
    for template in shipped.templates.values():
        assert template.longest(SIGNATURE) <= catalog.BUDGETS[template.kind], template.key
        assert "【" not in template.text and not catalog.RULE_ID.search(template.text)
    assert shipped.get("sign_in_code").longest(SIGNATURE) <= 70  # a code is one segment


def test_realistic_longest_values_are_shortened_not_split_into_more_segments(shipped, caplog):
    values = {"project": LONG_NAME, "reference": "XS-2026-000001", "office": "浙江省发展和改革委员会（省能源局）",
              "route": "核准", "document": "《浙江省企业投资项目备案（赋码）信息表》", "months": "22",
              "project_code": "2311-330109-04-01-789813", "material": "用地预审与选址意见书（自然资源主管部门出具）",
              "due": "2027-01-15"}
    assert len(LONG_NAME) == 110
    with caplog.at_level(logging.WARNING, logger="app.sms.catalog"):
        for template in shipped.templates.values():
            if template.kind != "notice":
                continue
            filled = template.fill({p.name: values.get(p.name, "中国邮政EMS") for p in template.params})
            text = SIGNATURE + template.render(filled)
            assert len(text) <= 134, (template.key, len(text))  # two segments at most
            if "project" in filled:
                assert filled["project"].endswith("…") and filled["project"].startswith("杭州市萧山区年产十万套")
    assert "parameter project shortened from 110 to 20 characters" in caplog.text


def test_parameter_values_lose_links_brackets_and_line_breaks(shipped, caplog):
    template = shipped.get("case_accepted")
    with caplog.at_level(logging.WARNING, logger="app.sms.catalog"):
        filled = template.fill({"project": "【急】电机项目\n详见 http://evil.example.com/x", "reference": "XS-1"})
    assert filled["project"] == "〔急〕电机项目 详见"
    assert "a link was removed from parameter project" in caplog.text


def test_a_code_must_be_digits(shipped):
    with pytest.raises(ValueError, match="digits"):
        shipped.get("sign_in_code").fill({"code": "12ab56", "minutes": "10"})


@pytest.mark.parametrize(("text", "problem"), [
    ("【萧山发改】您的项目“${project}”已受理。", "no 【】"),
    ("您的项目“${project}”因R3超出区级权限。", "a rule id"),
    ("您的项目“${project}${project}”已受理。", "only once"),
    ("您的项目“${project}”已受理。" + "请登录申报网站查看办理进度。" * 8, "over the 134"),
])
def test_a_bad_template_does_not_load(tmp_path, text, problem):
    with pytest.raises(catalog.TemplateFileError, match=problem):
        catalog.load(_write(tmp_path, _one(text)), SIGNATURE)


def test_parameters_must_match_and_stay_within_provider_limits(tmp_path):
    with pytest.raises(catalog.TemplateFileError, match="do not match") as mismatch:
        catalog.load(_write(tmp_path, _one("您的项目“${project}”已受理。", name={"max": 10})), SIGNATURE)
    assert "t:" in str(mismatch.value)
    with pytest.raises(catalog.TemplateFileError, match="above aliyun's limit of 35"):
        catalog.load(_write(tmp_path, _one("您的项目“${project}”已受理。", project={"max": 40})), SIGNATURE)


def test_a_queued_message_keeps_its_key_parameters_and_text(app):
    with app.app_context():
        message = sms.queue("+8613812345678", "case_accepted", {"project": LONG_NAME, "reference": "XS-2026-000001"})
        assert message.status == SmsStatus.SENT  # the console backend
        assert message.template_key == "case_accepted"
        assert message.params["reference"] == "XS-2026-000001" and len(message.params["project"]) == 20
        assert message.body.startswith(SIGNATURE) and len(message.body) <= 134
        with pytest.raises(ValueError, match="takes"):
            sms.queue("+8613812345678", "case_accepted", {"project": "x"})


def test_flask_sms_templates_lists_and_checks(app, runner, tmp_path):
    result = runner.invoke(args=["sms", "templates", "--for-approval"])
    assert result.exit_code == 0, result.output
    assert "24 templates, all" in result.output
    assert "tencent: 您的项目“{1}”（受理编号{2}）已受理" in result.output
    saved = app.config["SMS_BACKENDS"], app.config["SMS_TEMPLATES_FILE"]
    try:
        app.config["SMS_BACKENDS"] = ["aliyun", "twilio"]
        result = runner.invoke(args=["sms", "templates"])
        assert result.exit_code == 1
        assert "problem: sign_in_code: no aliyun template code" in result.output
        app.config["SMS_TEMPLATES_FILE"] = str(tmp_path / "coded.yaml")
        approved_codes(tmp_path / "coded.yaml")
        assert runner.invoke(args=["sms", "templates"]).exit_code == 0
        app.config["SMS_TEMPLATES_FILE"] = str(_write(tmp_path, _one("【坏】${project}")))
        result = runner.invoke(args=["sms", "templates"])
        assert result.exit_code == 1 and "no 【】" in result.output
    finally:
        app.config["SMS_BACKENDS"], app.config["SMS_TEMPLATES_FILE"] = saved


ALIYUN = {"SMS_BACKEND": "aliyun", "ALIYUN_SMS_ACCESS_KEY_ID": "LTAI5tKey", "ALIYUN_SMS_ACCESS_KEY_SECRET": "secret"}


def test_production_refuses_a_template_provider_without_template_codes(production, tmp_path):
    with pytest.raises(RuntimeError, match=r"without a provider template code.*aliyun:sign_in_code"):
        production(**ALIYUN)
    approved_codes(tmp_path / "coded.yaml")
    assert production(**ALIYUN, SMS_TEMPLATES_FILE=str(tmp_path / "coded.yaml"))


def test_production_refuses_a_provider_without_credentials(production, tmp_path):
    approved_codes(tmp_path / "coded.yaml")
    with pytest.raises(RuntimeError, match="TENCENT_SMS_SDK_APP_ID"):
        production(SMS_BACKENDS=["tencent", "twilio"], TENCENT_SMS_SECRET_ID="id", TENCENT_SMS_SECRET_KEY="k",
                   SMS_TEMPLATES_FILE=str(tmp_path / "coded.yaml"))
