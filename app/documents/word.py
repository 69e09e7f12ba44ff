"""The Word writer: python-docx with real styles (Title, Heading 1–3, Normal,
Table Grid), Chinese fonts for East Asian text, a header, "page x of y" in the
footer, header rows repeated on every page, and fixed metadata and zip times
so that the same input gives the same bytes."""

import datetime as dt
import io
import struct
import zipfile

import segno
from docx import Document as new_docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell

from app.documents import model

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1  # 1980-01-01 as a DOS date
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
    header.text = f"{document.header_left}\t\t{document.header_right}"
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


def _cells(table):
    """Rows of cells straight from the XML (python-docx's row.cells recomputes the grid each time)."""
    return [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]


def _cell(cell, text, bold=False):
    lines = text.split("\n")
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        if i < len(lines) - 1:
            run.add_break()


def _key_values(doc, block):
    if block.title:
        _heading(doc, block.title, 3)
    table = _grid_table(doc, len(block.rows), 2)
    for (label_cell, value_cell), (label, value) in zip(_cells(table), block.rows, strict=True):
        _cell(label_cell, label)
        _shade(label_cell, "F0F2F5")
        _cell(value_cell, value)
        label_cell.width, value_cell.width = Cm(5.5), Cm(11.5)


def _table(doc, block):
    if block.title:
        _heading(doc, block.title, 3)
    table = _grid_table(doc, 1 + len(block.rows), len(block.columns))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    rows = _cells(table)
    for cell, text in zip(rows[0], block.columns, strict=True):
        _cell(cell, text, bold=True)
        _shade(cell, "E6EBF2")
    for cells, values in zip(rows[1:], block.rows, strict=True):
        for cell, text in zip(cells, values, strict=True):
            _cell(cell, text)


def _grid(doc, block):
    """The printed grid: shaded label cells, spans as merged cells (a long value
    grows its row, which Word splits across pages)."""
    if block.title:
        _heading(doc, block.title, 3)
    columns = len(block.widths)
    table = _grid_table(doc, len(block.rows), columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Cm(17 * w / sum(block.widths)) for w in block.widths]
    grid = _cells(table)
    for cells in grid:
        for cell, width in zip(cells, widths, strict=True):
            cell.width = width
    for cells, row in zip(grid, block.rows, strict=True):
        column = 0
        for item in row:
            cell = cells[column]
            if item.span > 1:
                cell = cell.merge(cells[column + item.span - 1])
            _cell(cell, item.text)
            if item.align != "left":
                cell.paragraphs[0].alignment = ALIGN[item.align]
            if item.label:
                _shade(cell, "F0F2F5")
            column += item.span


def _signatures(doc, block):
    doc.add_paragraph()
    table = _grid_table(doc, 1, len(block.labels))
    for cell, label in zip(_cells(table)[0], block.labels, strict=True):
        _cell(cell, label)
    table.rows[0].height = Cm(2.8)


def _qr(doc, block):
    png = io.BytesIO()
    segno.make(block.data, error="m").save(png, kind="png", scale=4, border=2)
    png.seek(0)
    doc.add_picture(png, width=Cm(3))
    if block.caption:
        caption = doc.add_paragraph(block.caption)
        caption.runs[0].font.size = Pt(8.5)


def _seal(doc, block):
    """Word has no seal: the office and date, and where the sealed original is; the QR code as in the PDF."""
    if block.qr:
        _qr(doc, model.QRCode(block.qr, block.caption))
    for text in (block.office, block.date, "（电子印章见签发的PDF文件）"):
        if text:
            doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _paragraph(doc, block):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(block.text)
    run.bold = block.bold
    run.font.size = Pt(SIZES[block.size])
    paragraph.alignment = ALIGN[block.align]
    if block.indent:
        paragraph.paragraph_format.first_line_indent = Pt(SIZES[block.size] * 2)


def _fixed_zip_times(data):
    """Set every entry's DOS time and date to 1980-01-01 00:00 in place, in the
    local headers and the central directory, so that output is byte-identical.
    (python-docx stamps the current time; rewriting these fields is far
    cheaper than recompressing the package.)"""
    buf = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        central = archive.start_dir
    for info in infos:
        struct.pack_into("<HH", buf, info.header_offset + 10, 0, DOS_DATE_1980)
    offset = central
    for _ in infos:
        if buf[offset:offset + 4] != b"PK\x01\x02":
            raise ValueError("unexpected zip layout")
        struct.pack_into("<HH", buf, offset + 12, 0, DOS_DATE_1980)
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", buf, offset + 28)
        offset += 46 + name_len + extra_len + comment_len
    return bytes(buf)


_BASE = {}


KEEP_STYLES = {"Normal", "Title", "Heading1", "Heading2", "Heading3", "Heading1Char", "Heading2Char",
               "Heading3Char", "TitleChar", "DefaultParagraphFont", "TableNormal", "TableGrid", "NoList", "Header",
               "Footer", "HeaderChar", "FooterChar"}
DROP_PARTS = ("stylesWithEffects", "customXml", "thumbnail")


def _slim(doc):
    """python-docx's default template carries ~800 kB of styles; keep the few we use.
    Smaller files, and most of the writer's time was spent compressing them."""
    styles = doc.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    for owner in (doc.part, doc.part.package):
        for rel_id, rel in list(owner.rels.items()):
            if any(kind in rel.reltype for kind in DROP_PARTS):
                del owner.rels[rel_id]


def _base_document():
    """A new document from the styled base, which is prepared once per process."""
    if "bytes" not in _BASE:
        doc = new_docx()
        _slim(doc)
        _prepare(doc)
        out = io.BytesIO()
        doc.save(out)
        _BASE["bytes"] = out.getvalue()
    return new_docx(io.BytesIO(_BASE["bytes"]))


def _styled(paragraph, style_id):
    """Set a paragraph style by id; python-docx's lookup by name is slow."""
    paragraph._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    return paragraph


def _heading(doc, text, level):
    paragraph = doc.add_paragraph()
    paragraph.add_run(text)
    return _styled(paragraph, "Title" if level == 0 else f"Heading{level}")


def _grid_table(doc, rows, cols):
    table = doc.add_table(rows=rows, cols=cols)
    style = OxmlElement("w:tblStyle")
    style.set(qn("w:val"), "TableGrid")
    table._tbl.tblPr.insert(0, style)
    return table


def render_docx(document):
    """Document model → DOCX bytes."""
    doc = _base_document()
    _header_footer(doc, document)
    title = _heading(doc, document.title, 0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in document.blocks:
        if isinstance(block, model.Heading):
            _heading(doc, block.text, block.level)
        elif isinstance(block, model.Paragraph):
            _paragraph(doc, block)
        elif isinstance(block, model.KeyValues):
            _key_values(doc, block)
        elif isinstance(block, model.Table):
            _table(doc, block)
        elif isinstance(block, model.Grid):
            _grid(doc, block)
        elif isinstance(block, model.Signatures):
            _signatures(doc, block)
        elif isinstance(block, model.QRCode):
            _qr(doc, block)
        elif isinstance(block, model.Seal):
            _seal(doc, block)
        elif isinstance(block, model.PageBreak):
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    props = doc.core_properties
    props.title, props.author, props.subject = document.title, document.author, \
        document.subject
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.last_modified_by, props.revision, props.comments = "OneTrip 最多跑一次", 1, ""
    out = io.BytesIO()
    doc.save(out)
    return _fixed_zip_times(out.getvalue())
