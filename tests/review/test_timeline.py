"""The case page's record in the order things happened: submissions, decisions,
SMS and downloads interleaved by time."""

import datetime as dt
import re
from types import SimpleNamespace

from app.cases import service as cases
from app.cases.models import Application
from app.extensions import db
from app.review.timeline import timeline
from tests.review.pages import visible_text


def entries(page):
    """[(kind, text)] of the timeline, top to bottom."""
    ol = re.search(r'<ol[^>]*id="timeline".*?</ol>', page, re.S)[0]
    items = ol.split('<li class="mb-2" data-kind="')[1:]
    return [(item.split('"', 1)[0], visible_text(item.split(">", 1)[1]).strip()) for item in items]


def position(found, kind, words):
    matches = [i for i, (k, text) in enumerate(found) if k == kind and words in text]
    assert len(matches) == 1, (kind, words, found)
    return matches[0]


def test_the_record_of_a_return_and_a_resubmission_is_in_time_order(case, officer, app):
    app_id = case("returned", return_notes={"scale_content": "请写明建筑面积"})
    assert officer.get(f"/review/cases/{app_id}/packet.zip").status_code in (200, 202)
    with app.app_context():
        cases.submit(cases.evaluate(db.session.get(Application, app_id)))  # the applicant corrects and resubmits
    officer.get(f"/review/cases/{app_id}/documents/receipt.pdf")

    found = entries(officer.get(f"/review/cases/{app_id}").get_data(as_text=True))
    order = [
        position(found, "submission", "申请人第1次提交"),
        position(found, "event", "退回补正 — 请补充说明"),
        position(found, "sms", "需补正"),
        position(found, "event", "下载材料包"),
        position(found, "submission", "申请人第2次提交"),
        position(found, "event", "下载文件"),
    ]
    assert order == sorted(order), found
    assert "建设规模及内容：请写明建筑面积" in found[order[1]][1]  # the field's label, not its id
    assert "短信（ 已发送 ）" in found[order[2]][1] and "sent" not in found[order[2]][1]  # the SMS state by name


def test_things_of_one_instant_keep_their_natural_order():
    at = dt.datetime(2026, 3, 2, 1, 38)
    later = at + dt.timedelta(seconds=1)
    submission = SimpleNamespace(submitted_at=at)
    event, other = SimpleNamespace(created_at=at), SimpleNamespace(created_at=later)
    sms = SimpleNamespace(created_at=at)
    found = [(e.kind, e.item) for e in timeline([submission], [other, event], [sms])]
    assert found == [("submission", submission), ("event", event), ("sms", sms), ("event", other)]
