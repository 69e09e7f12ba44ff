"""Rendering documents: the same content in Word and PDF, fonts, long content,
awkward characters, sandboxing and determinism."""

import copy
import io
import re

import pytest
from pypdf import PdfReader

from app.documents import service as documents
from app.documents.context import build_context
from app.documents.layout import build_document
from app.documents.pdf import render_pdf, render_pdf_with_seals
from app.documents.templates import DocTemplate, TemplateInvalid
from app.documents.word import render_docx
from app.lang.service import Expression
from tests.support.documents import SPEC, case_data, docx_text, pdf_body_text, pdf_text, render_case, squash


@pytest.fixture(scope="module")
def demo():
    return {d.id: d for d in render_case()}


@pytest.fixture(scope="module")
def examination():
    return {d.id: d for d in render_case({"gov_investment": True, "gov_budget_level": "district"})}


def test_a_submitted_filing_holds_the_form_the_checklist_and_the_receipt(demo):
    assert sorted(demo) == ["application_form", "materials_checklist", "receipt"]
    assert demo["application_form"].model.title == "企业投资项目备案信息表"
    assert demo["receipt"].model.title == "收件回执"


@pytest.mark.parametrize("document_id", ["application_form", "materials_checklist", "receipt"])
def test_word_and_pdf_carry_the_same_answers(demo, document_id):
    document = demo[document_id]
    pdf, word = squash(pdf_text(document.render("pdf"))), squash(docx_text(document.render("docx")))
    values = ["杭州示例科技有限公司", "年产10万台智能电机技改项目", "XS-2026-000001"]
    if document_id == "application_form":
        values += ["5,000.00万元", "智能电机", "100,000.00", "伺服驱动器", "企业自有资金", "3,000.00",
                   "91350100M000100Y43", "居民身份证11010519491231002X", "13812345678",
                   "C制造业›38电气机械和器材制造业›381电机制造›3812电动机制造", "2027年3月", "20,000.00m²",
                   "800.00tce", "填报环境影响登记表"]
    if document_id == "materials_checklist":
        values += ["环境影响登记表备案回执", "开工前取得", "电子材料"]
    for value in values:
        assert squash(value) in pdf, (document_id, value, "pdf")
        assert squash(value) in word, (document_id, value, "docx")


def test_the_proposal_carries_the_answers_in_both_formats(examination):
    document = examination["project_proposal"]
    pdf, word = squash(pdf_text(document.render("pdf"))), squash(docx_text(document.render("docx")))
    for value in ("5,000.00万元", "智能电机", "100,000.00", "伺服驱动器", "企业自有资金", "3,000.00"):
        assert squash(value) in pdf and squash(value) in word, value


def test_hidden_fields_are_not_printed_on_the_form(demo):
    text = squash(pdf_text(demo["application_form"].render("pdf")))
    assert "外方投资者" not in text and "折合美元总投资" not in text  # hidden means gone


def test_body_text_is_set_in_the_song_face_and_headings_in_the_sans_face(demo):
    fonts = set()
    for page in PdfReader(io.BytesIO(demo["application_form"].render("pdf"))).pages:
        fonts |= {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in page["/Resources"]["/Font"].values()}
    assert fonts == {"UMingCN-0", "WenQuanYiMicroHei-0"}  # AR PL UMing (Song) for values, Micro Hei for labels


def test_every_font_in_every_pdf_is_embedded(demo, examination):
    for document in [*demo.values(), *examination.values()]:
        reader = PdfReader(io.BytesIO(document.render("pdf")))
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, font["/BaseFont"]


def test_pdf_has_title_author_and_page_numbers(demo):
    data = demo["application_form"].render("pdf")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "企业投资项目备案信息表"
    assert reader.metadata.author == "杭州示例科技有限公司"
    pages = len(reader.pages)
    assert f"第 1 页 共 {pages} 页" in reader.pages[0].extract_text()
    assert reader.pages[0].mediabox.width == pytest.approx(595.27, abs=0.1)  # A4


def test_long_text_and_300_rows_flow_over_pages_with_nothing_lost():
    necessity = "".join(f"第{i}句说明项目建设的必要性与市场需求。" for i in range(300))[:5000]
    products = [{"name": f"产品{i:03d}", "capacity": i + 1, "unit": "台"} for i in range(300)]
    documents = {d.id: d for d in render_case({"necessity": necessity, "scale_content": necessity,
                                               "products": products, "gov_investment": True,
                                               "gov_budget_level": "district"})}
    for document_id in ("application_form", "project_proposal"):
        pdf = documents[document_id].render("pdf")
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) > 2
        text = squash(pdf_body_text(documents[document_id]))
        assert squash(necessity) in text
        for i in range(300):
            assert f"产品{i:03d}" in text
        word = squash(docx_text(documents[document_id].render("docx")))
        assert squash(necessity) in word and "产品299" in word
    # The products table's header is repeated on every page it spans.
    pages = PdfReader(io.BytesIO(documents["project_proposal"].render("pdf"))).pages
    spanning = [p.extract_text() for p in pages if re.search(r"^产品[12]\d\d$", p.extract_text(), re.M)]
    assert len(spanning) >= 2 and all("年产能（规模）" in text for text in spanning)


def test_awkward_characters_appear_as_typed():
    name = "A&B <公司> \"引号\" '单引号'"
    necessity = "第一行：全角标点，;“”《》——\n第二行 & < > 龘 𠀀"
    documents = {d.id: d for d in render_case({"project_name": name, "scale_content": necessity})}
    form = documents["application_form"]
    pdf, word = pdf_text(form.render("pdf")), docx_text(form.render("docx"))
    for text in (pdf, word):
        assert name in text
        assert "第一行：全角标点，;“”《》——" in text
        assert "第二行 & < > 龘 𠀀" in text
        assert "&amp;" not in text and "&lt;" not in text


def test_rendering_twice_is_byte_identical():
    first, second = render_case(), render_case()
    for a, b in zip(first, second, strict=True):
        assert a.render("pdf") == b.render("pdf")
        assert a.render("docx") == b.render("docx")


@pytest.mark.parametrize("text", [
    "{{ ''.__class__.__mro__ }}",
    "{{ answers.__class__ }}",
    "{{ answers['__init__'] }}",
    "{{ range(10**9) }}",
    "{{ lipsum }}",
    "{{ answers.nonexistent_field }}",
    "{{ misspelt }}",
    "{{ 'x'|center(100000) }}",
])
def test_unsafe_or_unknown_template_text_is_refused_at_load(text):
    source = f"id: t\ntitle: 测试\nblocks:\n  - paragraph: \"{text}\"\n"
    with pytest.raises(TemplateInvalid) as exc:
        DocTemplate(source, "t.yaml", SPEC.fields)
    assert exc.value.problems[0].line == 4


def test_a_good_template_loads_and_builds():
    source = "id: t\ntitle: '{{ answers.project_name }}'\nblocks:\n  - paragraph: '{{ answers.enterprise_name }}'\n"
    template = DocTemplate(source, "t.yaml", SPEC.fields)
    assert template.id == "t"


def test_word_output_uses_real_styles_and_chinese_fonts(examination):
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(io.BytesIO(examination["project_proposal"].render("docx")))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2"} <= styles
    normal = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "宋体"
    heading = document.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsia")) == "黑体"
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert document.core_properties.title == "年产10万台智能电机技改项目建议书"


def test_template_words_are_plain_text_in_both_formats():
    source = "id: t\ntitle: R&D <中心>\nblocks:\n  - paragraph: \"R&D <b>不是粗体</b> {{ answers.project_name }}\"\n"
    template = DocTemplate(source, "t.yaml", SPEC.fields)
    document = build_document(template, build_context(SPEC, case_data({"project_name": "A&B"})))
    for text in (pdf_text(render_pdf(document)), docx_text(render_docx(document))):
        assert "R&D <b>不是粗体</b> A&B" in text
        assert "R&D <中心>" in text


def test_a_document_condition_may_read_answers():
    spec = copy.copy(SPEC)
    spec.documents = [copy.copy(d) for d in SPEC.documents]
    [proposal] = [d for d in spec.documents if d.id == "project_proposal"]
    proposal.when = Expression("ownership == 'foreign'")
    for ownership, expected in (("domestic", False), ("foreign", True)):
        docs = documents.applicable(spec, case_data({"ownership": ownership}, spec=spec))
        assert ("project_proposal" in [d.id for d in docs]) is expected


@pytest.mark.parametrize("block", ["signatures: []", "key_values: []",
                                   "table: {columns: [], rows: materials, cells: []}"])
def test_empty_blocks_are_refused_at_load(block):
    with pytest.raises(TemplateInvalid):
        DocTemplate(f"id: t\ntitle: x\nblocks:\n  - {block}\n", "t.yaml", SPEC.fields)


@pytest.mark.parametrize("changes", [{}, {"location_scope": "cross_city"}, {"gov_investment": "yes",
                                                                            "gov_budget_level": "district"}])
def test_document_links_name_the_documents_the_packet_holds(changes):
    # Lists of links skip the layout; they must still name exactly what the packet holds.
    data = case_data(changes)
    built = documents.laid_out(SPEC, data)
    links = documents.titles(SPEC, data)

    assert [(link.id, link.title) for link in links] == [(document_id, model.title) for document_id, model in built]


def test_the_seal_block_names_the_office_and_date_in_both_formats():
    source = ("id: t\ntitle: 证明\nblocks:\n  - seal: 萧山区发展和改革局\n    date: 2026年11月23日\n"
              "    verify_qr: https://example.gov.cn/verify/ABC\n    caption: 扫码核验\n")
    template = DocTemplate(source, "t.yaml", SPEC.fields)
    document = build_document(template, build_context(SPEC, case_data({})))
    pdf, boxes = render_pdf_with_seals(document)
    pdf, word = squash(pdf_text(pdf)), squash(docx_text(render_docx(document)))
    for text in (pdf, word):
        assert "萧山区发展和改革局" in text and "2026年11月23日" in text and "扫码核验" in text
    assert "电子印章见签发的PDF文件" in word  # Word carries no seal and says where the sealed original is
    [(page, (left, bottom, right, top))] = boxes
    assert page == 0 and round(right - left) == round(top - bottom) == 113  # a 40 mm seal
