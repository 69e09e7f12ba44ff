"""The documents an office accepts: the right one for each stage and filing type,
the 备案信息表 as the compact official grid, and titles that read right."""

import io

import pypdfium2
import pytest

from app.cases import service as cases
from app.documents import service as documents
from tests.support.documents import SPEC, case_data, docx_text, pdf_body_text, pdf_text, render_case, squash

APPROVAL = {"catalogue_item": "captive_power", "energy_tce": 20000, "eia_category": "report"}
EXAMINATION = {"gov_investment": True, "gov_budget_level": "district"}
REJECTED = {"construction_nature": "new", "overcapacity_industry": True, "capacity_swap": False}

APPLICATION_REPORT_CHAPTERS = ["申报单位及项目概况", "发展规划、产业政策和行业准入分析", "资源开发及综合利用分析",
                               "节能方案分析", "建设用地、征地拆迁及移民安置分析", "环境和生态影响分析", "经济影响分析",
                               "社会影响分析"]


def ids(changes=None):
    return [d.id for d in render_case(changes)]


def page_texts(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [squash(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def test_each_filing_type_gets_its_own_documents():
    assert ids() == ["application_form", "materials_checklist", "receipt"]
    assert ids(APPROVAL) == ["application_form", "application_report", "materials_checklist", "receipt"]
    assert ids(EXAMINATION) == ["application_form", "project_proposal", "materials_checklist", "receipt"]
    # A refused project gets the self-check result, which is not an official notice.
    assert ids(REJECTED) == ["self_check"]


def test_the_receipt_says_received_not_accepted_and_only_once_submitted():
    [receipt] = [d for d in render_case() if d.id == "receipt"]
    assert receipt.model.title == "收件回执"
    text = squash(pdf_text(receipt.render("pdf")))
    assert "不代表已经受理" in text and "自受理之日起3个工作日" in text
    draft = case_data()
    draft.conditions["submitted"] = False
    assert "receipt" not in [d.id for d in documents.applicable(SPEC, draft)]


def test_the_self_check_result_is_not_a_notice_of_the_office():
    [result] = render_case(REJECTED)
    text = squash(pdf_text(result.render("pdf")))
    assert "仅供参考" in text and "不是行政机关的告知书" in text
    assert "告知书" not in result.model.title and "萧山区发展和改革局" not in text
    assert "产能置换" in text  # the lawful route the spec allows is named


def test_the_filing_form_fits_on_two_pages_with_the_signatures_beside_the_declaration():
    [form] = [d for d in render_case() if d.id == "application_form"]
    pages = page_texts(form.render("pdf"))
    assert len(pages) <= 2
    [declaration_page] = [i for i, text in enumerate(pages) if "项目单位声明" in text]
    assert "项目单位（盖章）" in pages[declaration_page] and "法定代表人（签字）" in pages[declaration_page]
    whole = "".join(pages)
    assert whole.count("项目单位声明") == 1
    for value in ("项目代码", "（由备案机关赋码后生成）", "东至规划支路", "3812电动机制造", "备案机关",
                  "萧山区发展和改革局", "固定资产投资", "4,900.00万元", "李四", "3301092019A21045"):
        assert squash(value) in whole, value


def test_a_10000_character_scale_and_content_stays_inside_the_grid():
    long_text = ("新建生产车间及配套仓储设施，购置自动化生产设备。" * 500)[:10000]
    [form] = [d for d in render_case({"scale_content": long_text}) if d.id == "application_form"]
    [grid] = [b for b in form.model.blocks if type(b).__name__ == "Grid"]
    cells = [cell for row in grid.rows for cell in row]
    assert any(getattr(cell, "text", None) == long_text for cell in cells)
    assert squash(long_text) in squash(pdf_body_text(form))  # continued in the grid, page after page
    word = docx_text(form.render("docx"))
    assert squash(long_text) in squash(word)
    import docx

    tables = docx.Document(io.BytesIO(form.render("docx"))).tables
    assert any(long_text in cell.text for table in tables for row in table.rows for cell in row.cells)


@pytest.mark.parametrize("name", ["年产10万台智能电机技改项目", "智能电机技改", "某某项目项目"])
@pytest.mark.parametrize("changes", [{}, APPROVAL, EXAMINATION])
def test_no_document_title_doubles_xiangmu(name, changes):
    for document in render_case({**changes, "project_name": name}):
        if not name.endswith("项目项目"):
            assert "项目项目" not in document.model.title, document.model.title
    titles = [d.model.title for d in render_case({**EXAMINATION, "project_name": "智能电机技改"})]
    assert "智能电机技改项目建议书" in titles


def test_an_approval_case_gets_the_application_report_draft_with_its_eight_chapters():
    [report] = [d for d in render_case(APPROVAL) if d.id == "application_report"]
    text = squash(pdf_text(report.render("pdf")))
    headings = [b.text for b in report.model.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert [h.split(" ", 1)[1] for h in headings] == APPLICATION_REPORT_CHAPTERS
    assert text.count("待补充") >= 6  # the gaps the enterprise completes are marked
    assert "【" not in text


def test_an_examination_case_gets_a_proposal_with_cover_contents_and_benefits():
    [proposal] = [d for d in render_case(EXAMINATION) if d.id == "project_proposal"]
    headings = [b.text for b in proposal.model.blocks if type(b).__name__ == "Heading" and b.level == 1]
    assert "第六章 效益分析" in headings
    assert len(headings) == len(set(headings))  # no chapter twice
    kinds = [type(b).__name__ for b in proposal.model.blocks]
    assert "PageBreak" in kinds and kinds.index("PageBreak") < kinds.index("Heading", kinds.index("PageBreak"))
    text = squash(pdf_text(proposal.render("pdf")))
    assert "目录" in text and "编制日期" in text
    # The chapter on the building plan does not repeat the scale and content.
    assert text.count(squash("改造现有厂房12000平方米")) == 1


def test_the_checklist_says_stage_form_copies_and_basis_without_hashes():
    [checklist] = [d for d in render_case({**APPROVAL, "new_land": True}) if d.id == "materials_checklist"]
    text = squash(pdf_text(checklist.render("pdf")))
    for value in ("项目申请报告", "原件2份", "申报时提交", "开工前取得", "《环境影响评价法》第二十五条",
                  "收件人（签字）"):
        assert squash(value) in text, value
    assert "SHA-256" not in text


def test_word_and_pdf_carry_the_same_text_for_every_new_document():
    for changes in (APPROVAL, EXAMINATION, REJECTED):
        for document in render_case(changes):
            pdf = squash(pdf_text(document.render("pdf")))
            word = squash(docx_text(document.render("docx")))
            for block in document.model.blocks:
                text = getattr(block, "text", None)
                if text:
                    assert squash(text) in pdf and squash(text) in word, (document.id, text[:40])


def test_acceptance_issues_a_notice_with_the_promised_date_and_the_office_phone():
    data = case_data()
    issued = documents.issued_for(SPEC, data, "accept")
    assert issued.id == "acceptance_notice"
    decision, verification = cases.sample_decision(SPEC, data, "accept")
    model = documents.issued_model(SPEC, data, issued, decision, verification)
    text = squash(" ".join(getattr(b, "text", "") or "" for b in model.blocks))
    assert model.title == "受理通知书"
    assert decision["time_limit_days"] == 3 and decision["due_date"] in text
    assert "0571-82890000" in squash(pdf_text(documents.render_issued(SPEC, data, issued, decision,
                                                                      verification)[0]))
