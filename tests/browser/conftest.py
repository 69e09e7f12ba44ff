"""Browser journeys: the app served on 127.0.0.1 in a thread, driven by the
Debian `chromium` through Playwright. Screenshots go to test-artifacts/."""

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test.sh installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server, request):
    """A fresh browser (its own cookies) at a viewport; closed after the test."""
    contexts = []

    def _page(width=1280, height=900, javascript=True):
        # Reduced motion turns off Bootstrap's smooth scrolling. Without JavaScript,
        # Playwright cannot wait for a scroll to settle, and a forced click that
        # came mid-scroll landed beside the radio button (a flaky no-JS journey).
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                       base_url=live_server, java_script_enabled=javascript, accept_downloads=True,
                                       reduced_motion="reduce")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield _page
    for context in contexts:
        context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def axe_check(page, name):
    """axe-core with the WCAG 2.1 A and AA rules: no violations allowed."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                           "wcag21aa"]}})
    violations = results.response["violations"]
    assert violations == [], f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})" for v in violations)


def sign_in(page, phone, name="张三", enterprise="杭州示例科技有限公司", check=None, start="/auth/sign-in"):
    """Sign in from `start` (a sign-in address, with the `next` a page sent there)."""
    page.goto(start)
    check and check(page, "sign-in")
    page.fill("#phone", phone)
    page.click("button[type=submit]:has-text('获取验证码')")
    page.wait_for_url(re.compile(r"/auth/verify"))
    check and check(page, "verify")
    verify_url = page.url  # keeps `next`
    code = read_code(page, phone)
    page.goto(verify_url)
    page.fill("#code", code)
    page.click("button[type=submit]:has-text('登录')")
    if "/auth/profile" in page.url:
        check and check(page, "profile")
        page.fill("#display_name", name)
        page.fill("#enterprise_name", enterprise)
        page.click("button[type=submit]:has-text('保存')")


def read_code(page, phone):
    """The newest code sent to `phone`, read on the development SMS page as a person would."""
    page.goto("/dev/sms")
    rows = page.locator("#sms-outbox tbody tr").all_inner_texts()
    for row in rows:
        if phone in row and "验证码" in row:
            return re.search(r"验证码是(\d{6})", row)[1]
    raise AssertionError(f"no code for {phone} on /dev/sms")


def fill_step(page, data, force=False):
    """Fill one wizard step from {name: value} the way a person does: type, tick, choose.
    `force` skips Playwright's animation-frame checks, which cannot run without JavaScript."""
    for name, value in data.items():
        field = page.locator(f"[name='{name}']")
        if field.count() == 0 and re.match(r"^[a-z_]+-\d+-[a-z_]+$", name):
            table = name.split("-")[0]
            page.click(f"button[value='add_row:{table}']", force=force)
            field = page.locator(f"[name='{name}']")
        first = field.first
        kind = first.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
        if kind.startswith("select"):
            first.select_option(value, force=force)
        elif kind.endswith(":radio"):
            page.check(f"input[name='{name}'][value='{value}']", force=force)
        elif kind.endswith(":checkbox"):
            first.check(force=force)
        else:
            first.fill(value, force=force)
