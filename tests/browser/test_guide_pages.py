"""The service guide and the self-check in a real browser: on a phone and a
desktop, without JavaScript, axe clean, and a self-check carried into a filing."""

import pytest

from tests.browser.conftest import axe_check, shot, sign_in

pytestmark = pytest.mark.browser

SIZES = {"phone": (375, 812), "desktop": (1280, 900)}


@pytest.mark.parametrize("size", list(SIZES))
def test_the_guide_on_a_phone_and_a_desktop(new_page, published, size):
    page = new_page(*SIZES[size])
    page.goto("/")
    page.click("#home-guide")
    assert page.locator("h1").inner_text().startswith("服务指南")
    assert page.locator(".guide-material").count() >= 10 and page.locator("svg.guide-flow").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= SIZES[size][0]  # nothing wider than the screen
    axe_check(page, f"guide on a {size}")
    shot(page, f"guide-{size}")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_self_check_on_a_phone_then_the_filing(new_page, published, javascript):
    page = new_page(375, 812, javascript=javascript)
    # axe runs in the page, so only where JavaScript is on (with it off Playwright's
    # evaluate never returns); the server sends the same markup either way.
    check = axe_check if javascript else (lambda page, name: None)
    page.goto("/check-my-project")
    check(page, "self-check, empty")
    page.check("#field-ownership input[value=domestic]", force=not javascript)
    page.click("button[type=submit]:has-text('查看自查结果')")
    answers = {"construction_nature": "new", "location_scope": "cross_city", "new_land": "no",
               "eia_category": "registration", "industrial_policy": "permitted", "overcapacity_industry": "no",
               "gov_investment": "no"}
    for name, value in answers.items():
        page.check(f"#field-{name} input[value={value}]", force=not javascript)
    page.fill("#energy_tce", "800")
    page.fill("#electricity_wan_kwh", "300")
    page.select_option("#catalogue_item", "none")
    page.click("button[type=submit]:has-text('查看自查结果')")
    result = page.locator("#self-check-result").inner_text()
    assert "不能，须向浙江省发展和改革委员会申报" in result and "自查结果，仅供参考" in result
    check(page, "self-check, result")
    if javascript:
        shot(page, "self-check-phone")
    page.click("button:has-text('用这些回答开始申报')")
    page.wait_for_url("**/auth/sign-in?next=**")
    sign_in(page, "13812340021" if javascript else "13812340022", start=page.url)
    page.wait_for_url("**/check-my-project/resume?**")  # sign-in returns to the answers
    page.click("button:has-text('新建申请')")
    page.wait_for_url("**/steps/**")
    assert "已用自查时的回答新建申请" in page.inner_text("body")
    page.goto(page.url.rsplit("/steps/", 1)[0] + "/steps/project")
    assert page.locator("#field-location_scope input[value=cross_city]").is_checked()
