"""备案变更 in a real browser: the applicant changes a completed filing (+30 %
investment) and watches the verdict and the marks as they type; the officer
reads the old/new diff and completes it under the same project code; the old
备案证明 reads superseded on the public page, the new one valid; the new filing
takes a start report with a photo. axe clean; screenshots in docs/images/."""

import re

import pytest
from sqlalchemy import select

from app.cases.models import Application, IssuedDocument
from app.extensions import db
from app.workdays import china_date
from tests.browser.conftest import axe_check, shot, sign_in
from tests.browser.test_journeys import staff_page
from tests.support import factories
from tests.support.files import PNG

pytestmark = pytest.mark.browser
PHONE = "13812340041"


def test_a_filing_changed_by_30_percent_gets_a_new_certificate(new_page, published, app, tmp_path):
    with app.app_context():
        original = factories.make_case("completed", user=factories.applicant(f"+86{PHONE}"))
        app_id, project_code = original.id, original.project_code
        old_code = db.session.scalar(select(IssuedDocument.code).filter_by(application_id=app_id,
                                                                           kind="filing_certificate"))
    page = new_page(1280, 900)
    sign_in(page, PHONE)
    page.goto(f"/applications/{app_id}/after-filing")
    page.click("#start-change")
    page.wait_for_url(re.compile(r"/check$"))
    change_id = int(page.url.split("/")[-2])
    assert page.locator("#error-summary").inner_text().count("尚未修改任何内容") == 1

    # 5,000 → 6,500 万元: equipment +1,500 and the bank loan with it.
    page.goto(f"/applications/{change_id}/steps/investment?return_to=check")
    page.fill("#equipment_cost_wan", "4500")
    page.fill('[name="funding_sources-1-amount_wan"]', "3500")
    page.locator('#live-panel [data-change-outcome="change"]').wait_for()
    assert "项目总投资变化30%" in page.inner_text("#change-verdict")
    assert page.locator('#field-equipment_cost_wan .change-mark').inner_text().startswith("已变更")
    shot(page, "filing-change-step")
    page.click("button[value=next]")
    page.wait_for_url(re.compile(r"/check$"))
    assert page.locator('[data-changed="equipment_cost_wan"] .change-before').inner_text() == "原备案：3,000.00 万元"
    axe_check(page, "check page of a change")
    page.click("button:has-text('提交变更申请')")
    page.wait_for_url(re.compile(r"/submitted$"))

    officer = staff_page(new_page, app, "officer")
    officer.goto("/review/")
    assert officer.locator(f'[data-amends="{app_id}"]').count() == 1
    officer.goto(f"/review/cases/{change_id}")
    table = officer.locator("#amendment-table")
    assert "3,000.00" in table.locator('tr[data-change="equipment_cost_wan"]').inner_text()
    assert "6,500.00" in table.locator('tr[data-change="total_investment_wan"]').inner_text()
    axe_check(officer, "officer's view of a change")
    shot(officer, "filing-change-officer")
    officer.check("#action-accept")
    officer.click("button:has-text('提交办理意见')")
    officer.check("#action-complete")
    assert officer.input_value("#project_code") == project_code  # the same code, prefilled
    officer.click("button:has-text('提交办理意见')")
    assert "已办结" in officer.inner_text("#case-status")

    public = new_page(375, 812)
    public.goto(f"/verify/{old_code}")
    assert "已被替代" in public.inner_text("main")
    public.click(f"a[href*='/verify/']:not([href$='{old_code}'])")
    assert "有效" in public.inner_text("main") and project_code in public.inner_text("main")
    axe_check(public, "verification of the new certificate")
    shot(public, "filing-change-verify")

    # The new filing is the one that lives on: a start report with a photo.
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    with app.app_context():
        filed = china_date(db.session.get(Application, change_id).completed_at)
    page.goto(f"/applications/{change_id}/after-filing")
    page.fill("#happened_on", filed.isoformat())
    page.fill("#description", "扩建设备进场安装")
    page.set_input_files("#photos", str(photo))
    page.click("#report button[type=submit]")
    assert "已报送开工" in page.inner_text("body") and "照片1张" in page.inner_text("#after-summary")
