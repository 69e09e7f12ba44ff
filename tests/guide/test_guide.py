"""The public service guide: generated from the live spec, before sign-in."""

import io
import re

import pytest
from pypdf import PdfReader

from app.publishing import service as publishing
from app.specs import service as specs
from tests.support.spec_copies import spec_copy


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def live_spec(app, published):
    with app.app_context():
        return specs.compiled(specs.live_version())


def test_the_guide_lists_every_material_with_its_condition_and_basis(client, live_spec):
    response = client.get("/guide")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for material in live_spec.materials:
        block = re.search(rf'id="material-{material.id}"[^>]*>(.*?)</article>', page, re.S)
        assert block, material.id
        text = _text(block.group(1))
        assert material.name in text and material.legal_basis in text
        assert material.reason.source.strip()[:20] in text  # the condition in words …
        assert material.when is None or material.when.source not in text  # … not the expression
    assert "谁来办理" in page and "浙江省发展和改革委员会" in page and "外商投资准入负面清单限制类" in page
    assert "不收费" in page and "3个工作日" in page and "1万吨标准煤" in page
    assert "<svg" in page and 'id="process-steps"' in page  # the flow, drawn and as text


def test_a_published_material_appears_in_the_guide(client, app, live_spec, tmp_path):
    new_material = """  - id: safety_assessment
    name: 安全预评价报告
    name_en: Safety pre-assessment
    description: 危险化学品建设项目的安全预评价报告。
    reason: 项目涉及危险化学品，开工前须进行安全条件审查。
    legal_basis: 《危险化学品建设项目安全监督管理办法》
    stage: before_construction
    form: copy
    copies: 1
    when: (energy_tce or 0) >= 100000
    file_types: [pdf]
  - id: eia_registration
"""
    path = spec_copy(tmp_path, [("  - id: eia_registration\n", new_material)])
    assert "安全预评价报告" not in client.get("/guide").get_data(as_text=True)
    with app.app_context():
        publishing.publish_file(path, "district")
    page = client.get("/guide").get_data(as_text=True)
    assert 'id="material-safety_assessment"' in page and "项目涉及危险化学品" in page


def test_every_sample_form_is_a_pdf_marked_as_a_sample(client, live_spec):
    page = client.get("/guide").get_data(as_text=True)
    links = sorted(set(re.findall(r'href="(/guide/samples/([a-z_]+)\.pdf)"', page)))
    assert {doc for _, doc in links} >= {"application_form", "application_report", "project_proposal"}
    for url, _ in links:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        reader = PdfReader(io.BytesIO(response.data))
        assert all("样表" in p.extract_text() for p in reader.pages), url
    assert client.get("/guide/samples/receipt.pdf").status_code == 404  # no sample of a proof of receipt
    assert client.get("/guide/samples/nothing.pdf").status_code == 404


def test_the_guide_speaks_english_where_the_spec_does(client, live_spec):
    from tests.support.browser import Browser, csrf_from

    browser = Browser(client)
    token = csrf_from(browser.get("/guide").get_data(as_text=True))
    browser.post("/language", {"lang": "en", "csrf_token": token, "next": "/guide"})
    page = browser.get("/guide").get_data(as_text=True)
    assert "Free of charge." in page and "Projects restricted by the foreign-investment negative list" in page


def test_the_home_page_leads_to_the_guide_and_the_self_check(client, published):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/check-my-project"' in page and 'href="/guide"' in page
    assert "承诺时限：备案3个工作日" in page


def test_public_pages_are_rate_limited(app, client, published):
    saved = app.config["GUIDE_IP_LIMIT"]
    app.config["GUIDE_IP_LIMIT"] = "3 per minute"
    try:
        codes = [client.get("/check-my-project").status_code for _ in range(4)]
    finally:
        app.config["GUIDE_IP_LIMIT"] = saved
    assert codes == [200, 200, 200, 429]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    R4: 列入", "    R9: 列入", "no authority rule 'R9' to describe"),
    ("    - {type: approval, statutory:", "    - {type: approved, statutory:", "approved"),
])
def test_a_guide_that_does_not_match_the_rules_is_refused(tmp_path, old, new, message):
    with pytest.raises(specs.SpecInvalid) as refused:
        specs.check_file(spec_copy(tmp_path, [(old, new)]))
    assert message in str(refused.value)
