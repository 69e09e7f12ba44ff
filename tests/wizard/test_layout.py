"""What the applicant sees around the questions: skipped steps and why, the
officer's notes on the check page, rows that keep one format, the outcome bar."""

import re

from tests.support.answers import domestic_steps
from tests.support.wizard import walk


def test_the_step_list_says_which_steps_are_skipped_and_why(applicant, new_application):
    app_id = new_application()
    walk(applicant, app_id, domestic_steps())
    page = applicant.get(f"/applications/{app_id}/steps/project").get_data(as_text=True)
    skipped = page[page.index('id="skipped-steps-title"'):]
    skipped = skipped[:skipped.index("</ul>")]
    assert "外商投资情况" in skipped and "取决于：资本来源" in skipped
    assert re.search(r"第 2 步，共 7 步", page)  # counted over the steps that apply


def test_the_check_page_marks_what_the_officer_asked_to_change(app, case, login_as):
    app_id = case("returned", return_notes={"scale_content": "请写明建筑面积"})
    page = login_as().get(f"/applications/{app_id}/check").get_data(as_text=True)
    row = page[page.index('data-field="scale_content"') - 400:page.index('data-field="scale_content"') + 600]
    assert "需修改" in row and "审核意见：请写明建筑面积" in row
    assert page.count("需修改") == 1  # only the answer the note is about


def test_rows_posted_with_an_error_keep_the_format_of_saved_rows(applicant, new_application):
    app_id = new_application()
    data = {k: v for k, v in domestic_steps()["investment"].items() if not k.startswith("funding_sources-")}
    data.update({"funding_sources-0-source": "own_funds", "funding_sources-0-amount_wan": "3000",
                 "funding_sources-1-source": "bank_loan", "funding_sources-1-amount_wan": "2000",
                 "building_cost_wan": "abc", "action": "next"})
    response = applicant.submit(f"/applications/{app_id}/steps/investment", data)
    assert response.status_code == 422
    values = re.findall(r'id="funding_sources-\d-amount_wan" value="([^"]*)"', response.get_data(as_text=True))
    assert values == ["3000.00", "2000.00"]


def test_every_step_has_the_compact_outcome_bar_and_the_preview_renews_it(applicant, new_application):
    app_id = new_application()
    page = applicant.get(f"/applications/{app_id}/steps/enterprise").get_data(as_text=True)
    assert 'class="outcome-bar card d-lg-none mb-3"' in page and page.index("outcome-bar") < page.index("<h1")
    data = applicant.submit(f"/applications/{app_id}/steps/project/preview", {"location_scope": "cross_city"},
                            page=f"/applications/{app_id}/steps/project").json
    assert "outcome-bar" in data["bar_html"] and "待判定" in data["bar_html"]
