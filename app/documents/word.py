"""The Word writer: python-docx with real styles (Title, Heading 1–3, Normal,
Table Grid), Chinese fonts for East Asian text, a header, "page x of y" in the
footer, header rows repeated on every page, and fixed metadata and zip times
so that the same input gives the same bytes."""

import datetime as dt
import io
import zipfile
from html import unescape

import segno
from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from app.documents import model

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
BODY_FONT, HEADING_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
SIZES = {"small": 9, "normal": 10.5, "large": 13}


def _set_fonts(style, east_asian, size=None, bold=None, color=None):
    style.font.name = LATIN_FONT
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), east_asian)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color


def _prepare(doc):
    styles = doc.styles
    _set_fonts(styles["Normal"], BODY_FONT, 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(3)
    _set_fonts(styles["Title"], HEADING_FONT, 18, bold=True, color=RGBColor(0, 0, 0))
    for level, size in ((1, 15), (2, 13), (3, 11)):
        _set_fonts(styles[f"Heading {level}"], HEADING_FONT, size, bold=True, color=RGBColor(0, 0, 0))
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))


def _field(paragraph, instruction):
    """A Word field such as PAGE or NUMPAGES (Word fills it in when it lays out)."""
    run = paragraph.add_run()
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


def _header_footer(doc, document):
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = f"{unescape(document.header_left)}\t\t{unescape(document.header_right)}"
    header.style.font.size = Pt(8.5)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页 共 ")
    _field(footer, "NUMPAGES")
    footer.add_run(" 页")


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _shade(cell, fill):
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _cell(cell, text, bold=False):
    cell.text = ""
    lines = unescape(text).split("\n")
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        if i < len(lines) - 1:
            run.add_break()


def _key_values(doc, block):
    if block.title:
        doc.add_heading(unescape(block.title), level=3)
    table = doc.add_table(rows=len(block.rows), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, block.rows, strict=True):
        _cell(row.cells[0], label)
        _shade(row.cells[0], "F0F2F5")
        _cell(row.cells[1], value)
        row.cells[0].width, row.cells[1].width = Cm(5.5), Cm(11.5)


def _table(doc, block):
    if block.title:
        doc.add_heading(unescape(block.title), level=3)
    table = doc.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, block.columns, strict=True):
        _cell(cell, text, bold=True)
        _shade(cell, "E6EBF2")
    for row, values in zip(table.rows[1:], block.rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            _cell(cell, text)


def _signatures(doc, block):
    doc.add_paragraph()
    table = doc.add_table(rows=1, cols=len(block.labels))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, block.labels, strict=True):
        _cell(cell, label)
    table.rows[0].height = Cm(2.8)


def _qr(doc, block):
    png = io.BytesIO()
    segno.make(block.data, error="m").save(png, kind="png", scale=4, border=2)
    png.seek(0)
    doc.add_picture(png, width=Cm(3))
    if block.caption:
        caption = doc.add_paragraph(unescape(block.caption))
        caption.runs[0].font.size = Pt(8.5)


def _paragraph(doc, block):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(unescape(block.text))
    run.bold = block.bold
    run.font.size = Pt(SIZES[block.size])
    paragraph.alignment = ALIGN[block.align]
    if block.indent:
        paragraph.paragraph_format.first_line_indent = Pt(SIZES[block.size] * 2)


def _normalise_zip(data):
    """Rewrite the package with fixed timestamps and order: byte-identical output."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def render_docx(document):
    """Document model → DOCX bytes."""
    doc = new_docx()
    _prepare(doc)
    _header_footer(doc, document)
    title = doc.add_heading(unescape(document.title), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in document.blocks:
        if isinstance(block, model.Heading):
            doc.add_heading(unescape(block.text), level=block.level)
        elif isinstance(block, model.Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, model.KeyValues):
            _key_values(doc, block)
        elif isinstance(block, model.Table):
            _table(doc, block)
        elif isinstance(block, model.Signatures):
            _signatures(doc, block)
        elif isinstance(block, model.QRCode):
            _qr(doc, block)
        elif isinstance(block, model.PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    props = doc.core_properties
    props.title, props.author, props.subject = unescape(document.title), unescape(document.author), \
        unescape(document.subject)
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.last_modified_by, props.revision, props.comments = "OneTrip 最多跑一次", 1, ""
    out = io.BytesIO()
    doc.save(out)
    return _normalise_zip(out.getvalue())
