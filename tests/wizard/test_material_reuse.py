"""“Use the file from my previous application”: an enterprise-level paper (the
business licence) the same applicant submitted for the same enterprise (same
credit code) is offered, and taking it makes a stored copy of this case's own.
Nobody else's file and no other enterprise's is ever offered or taken."""

import hashlib
import re

import pytest
from sqlalchemy import select

from app.cases.models import MaterialFile
from app.extensions import db
from app.specs.identifiers import uscc_check_char
from tests.support import factories
from tests.support.answers import examination_steps
from tests.support.browser import flashes
from tests.support.files import PDF

OTHER_ENTERPRISE_CODE = "91330109MA2B00011" + uscc_check_char("91330109MA2B00011")
STRANGER_PHONE = "+8613955556666"


def sha(data):
    return hashlib.sha256(data).hexdigest()


def block(html, material_id):
    start = html.index(f'id="m-{material_id}"')
    return html[start:html.find("</section>", start)]


def materials_page(browser, app_id):
    return browser.get(f"/applications/{app_id}/materials").get_data(as_text=True)


def licence_of(application):
    [record] = [f for f in application.files if f.material_id == "business_license"]
    return record


def files_of(app, application_id):
    with app.app_context():
        return db.session.scalars(select(MaterialFile).filter_by(application_id=application_id)).all()


def reuse(browser, app_id, material_id, file_id, **kwargs):
    return browser.submit(f"/applications/{app_id}/materials/{material_id}/reuse/{file_id}",
                          page=f"/applications/{app_id}/materials", **kwargs)


@pytest.fixture
def earlier(app, published):
    """The applicant's submitted examination case, with a business licence and a proposal."""
    with app.app_context():
        application = factories.make_case("submitted", steps=examination_steps())
        licence = licence_of(application)
        proposal = next(f for f in application.files if f.material_id == "project_proposal")
        return {"id": application.id, "reference": application.reference, "licence": licence.id,
                "stored_name": licence.stored_name, "proposal": proposal.id}


@pytest.fixture
def draft(app, published):
    """A new draft of the same applicant for the same enterprise, nothing uploaded yet."""
    with app.app_context():
        return factories.make_case("draft", steps=examination_steps(), files=False).id


def test_my_earlier_business_licence_is_offered_and_copied(app, applicant, earlier, draft, uploads_dir):
    page = materials_page(applicant, draft)
    licence = block(page, "business_license")
    assert f'data-offer="{earlier["licence"]}"' in licence
    assert "business_license.pdf" in licence and earlier["reference"] in licence
    assert re.search(r"上传于\d{4}-\d{2}-\d{2} · SHA-256 " + sha(PDF)[:12], licence) and "使用此文件" in licence
    assert "data-offer" not in block(page, "project_proposal")  # a project's own paper, not the enterprise's

    response = reuse(applicant, draft, "business_license", earlier["licence"])
    assert response.status_code == 302
    assert f"已使用申请{earlier['reference']}中的“business_license.pdf”。" in flashes(applicant, response)
    [copy] = files_of(app, draft)
    assert copy.copied_from_id == earlier["licence"] and copy.sha256 == sha(PDF)
    assert copy.stored_name != earlier["stored_name"]  # a copy of its own, not a second row on one file
    page = materials_page(applicant, draft)
    assert "data-offer" not in block(page, "business_license")  # it has that file now
    assert re.search(r'<span class="badge[^"]*">已上传<', block(page, "business_license"))

    # Deleting the copy leaves the earlier case's file as it was; the earlier case's own file cannot be deleted.
    applicant.submit(f"/applications/{draft}/materials/business_license/files/{copy.id}/delete",
                     page=f"/applications/{draft}/materials")
    assert files_of(app, draft) == []
    assert (uploads_dir / earlier["stored_name"][:2] / earlier["stored_name"]).read_bytes() == PDF
    refused = applicant.submit(f"/applications/{earlier['id']}/materials/business_license/files/"
                               f"{earlier['licence']}/delete", page=f"/applications/{earlier['id']}/materials")
    assert refused.status_code == 409
    assert [f.id for f in files_of(app, earlier["id"]) if f.material_id == "business_license"] == [earlier["licence"]]
    assert f'data-offer="{earlier["licence"]}"' in materials_page(applicant, draft)  # offered again


def test_with_javascript_taking_the_file_over_answers_the_block(app, applicant, earlier, draft):
    response = reuse(applicant, draft, "business_license", earlier["licence"], headers={"Accept": "application/json"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["message"] == f"已使用申请{earlier['reference']}中的“business_license.pdf”。"
    [copy] = files_of(app, draft)
    assert f"/applications/{draft}/files/{copy.id}?inline=1" in data["html"] and "data-offer" not in data["html"]


def test_another_users_or_another_enterprises_file_is_never_offered_and_a_forged_reuse_is_a_404(
        app, applicant, earlier, draft):
    with app.app_context():
        stranger = factories.applicant(STRANGER_PHONE)
        theirs = licence_of(factories.make_case("submitted", steps=examination_steps(), user=stranger)).id
        steps = examination_steps()
        steps["enterprise"]["credit_code"] = OTHER_ENTERPRISE_CODE
        elsewhere = licence_of(factories.make_case("submitted", steps=steps)).id  # mine, another enterprise
    licence = block(materials_page(applicant, draft), "business_license")
    assert re.findall(r'data-offer="(\d+)"', licence) == [str(earlier["licence"])]
    for file_id in (theirs, elsewhere):
        assert reuse(applicant, draft, "business_license", file_id).status_code == 404
    # Not a file of that material, nor a material of the enterprise's own papers.
    assert reuse(applicant, draft, "business_license", earlier["proposal"]).status_code == 404
    assert reuse(applicant, draft, "project_proposal", earlier["proposal"]).status_code == 404
    assert files_of(app, draft) == []


def test_the_stranger_is_offered_nothing_of_mine(app, login_as, earlier):
    with app.app_context():
        stranger = factories.applicant(STRANGER_PHONE)
        their_draft = factories.make_case("draft", steps=examination_steps(), files=False, user=stranger).id
    browser = login_as(STRANGER_PHONE, ip="10.6.6.6")
    assert "data-offer" not in materials_page(browser, their_draft)  # same credit code, another applicant
    assert reuse(browser, their_draft, "business_license", earlier["licence"]).status_code == 404
    assert files_of(app, their_draft) == []


def test_which_papers_are_the_enterprises_is_configured(app, applicant, earlier, draft, monkeypatch):
    monkeypatch.setitem(app.config, "REUSABLE_MATERIALS", frozenset())
    assert "data-offer" not in materials_page(applicant, draft)
    assert reuse(applicant, draft, "business_license", earlier["licence"]).status_code == 404
    monkeypatch.setitem(app.config, "REUSABLE_MATERIALS", frozenset({"business_license", "project_proposal"}))
    assert f'data-offer="{earlier["proposal"]}"' in block(materials_page(applicant, draft), "project_proposal")
