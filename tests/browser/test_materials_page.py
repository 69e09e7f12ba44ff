"""The materials page in a real browser: with JavaScript, files are added,
refused and deleted in their block without the page reloading; without it,
the same forms post and come back to the block."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, shot, sign_in
from tests.support.answers import examination_steps
from tests.support.files import ELF, JPG, PNG

pytestmark = pytest.mark.browser


def _files(tmp_path):
    paths = {}
    for name, data in (("正面.jpg", JPG), ("反面.png", PNG), ("setup.pdf", ELF)):
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    return paths


def test_with_javascript_files_come_and_go_in_their_block_without_a_reload(new_page, case, tmp_path):
    app_id = case("draft", steps=examination_steps(), files=False)
    files = _files(tmp_path)
    page = new_page()
    sign_in(page, "13812345678")
    page.goto(f"/applications/{app_id}/materials")
    page.evaluate("window.notReloaded = true")
    licence = page.locator("#m-business_license")
    for name in ("正面.jpg", "反面.png"):
        page.set_input_files("#file-business_license", str(files[name]))
        licence.locator("button:has-text('上传')").click()
        expect(licence.locator("[role=status]")).to_contain_text(f"已上传“{name}”")
    expect(licence.locator("[data-file]")).to_have_count(2)
    expect(licence.locator(".badge")).to_have_text("已上传")

    page.set_input_files("#file-business_license", str(files["setup.pdf"]))
    licence.locator("button:has-text('上传')").click()
    alert = licence.locator("[role=alert]")
    expect(alert).to_contain_text("只接受PDF、JPG或PNG文件")
    expect(alert).to_be_focused()
    expect(licence.locator("[data-file]")).to_have_count(2)
    shot(page, "materials-js-refused")
    axe_check(page, "materials page with two files and a refusal")

    licence.locator("button[aria-label='删除“正面.jpg”']").click()
    expect(licence.locator("[role=status]")).to_contain_text("已删除“正面.jpg”")
    expect(licence.locator("[data-file]")).to_have_count(1)
    assert page.evaluate("window.notReloaded") is True


def test_without_javascript_the_forms_post_and_come_back(new_page, case, tmp_path):
    app_id = case("draft", steps=examination_steps(), files=False)
    files = _files(tmp_path)
    page = new_page(javascript=False)
    sign_in(page, "13812345678")
    page.goto(f"/applications/{app_id}/materials")
    page.set_input_files("#file-business_license", str(files["正面.jpg"]))
    page.locator("#m-business_license button:has-text('上传')").click(force=True)
    page.wait_for_url(f"**/applications/{app_id}/materials#m-business_license")
    assert "已上传“正面.jpg”" in page.inner_text("main")
    assert page.locator("#m-business_license [data-file]").count() == 1
