"""Reading back what the writers produced."""

import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pypdfium2
import zxingcpp
from pypdf import PdfReader

from app.cases import service as cases
from app.documents import service as documents
from app.rules import service as rules
from app.specs import service as specs

SPEC = specs.check_file(specs.SPEC_DIR / "enterprise_investment.yaml")
DEMO = json.loads((Path(__file__).parents[1] / "documents" / "demo_answers.json").read_text(encoding="utf-8"))


@dataclass
class Rendered:
    """One laid-out document of a sample case, written on demand."""

    id: str
    model: object

    def render(self, fmt):
        return documents.FORMATS[fmt][1](self.model)


def case_data(changes=None, reference="XS-2026-000001", spec=SPEC):
    """The documents' data of the demo answers (with `changes`), as a submitted case would have it."""
    answers, _ = rules.from_json(spec, {**DEMO, **(changes or {})})
    return cases.sample_data(spec, answers, reference=reference, submitted_at=dt.datetime(2026, 11, 20, 9, 30),
                             status_url="http://127.0.0.1:5000/applications/1")


def render_case(changes=None, reference="XS-2026-000001"):
    return [Rendered(i, model) for i, model in documents.laid_out(SPEC, case_data(changes, reference))]


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data):
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for section in document.sections for p in section.header.paragraphs]
    parts += [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def squash(text):
    """Text without any white space: PDF extraction breaks lines where the layout does."""
    return re.sub(r"\s+", "", text)


FOOTER = re.compile(r"^第 \d+ 页 共 \d+ 页$")


def pdf_body_text(document):
    """The PDF's page texts without header and footer lines, so that text
    running across pages reads as one."""
    from html import unescape

    header = {unescape(document.model.header_left).strip(), unescape(document.model.header_right).strip()}
    lines = []
    for page in PdfReader(io.BytesIO(document.render("pdf"))).pages:
        for line in page.extract_text().splitlines():
            line = line.strip()
            if FOOTER.match(line) or _is_header(line, header):
                continue
            lines.append(line)
    return "\n".join(lines)


def _is_header(line, header):
    """True for a line made only of the header texts (they may share a line)."""
    rest = squash(line)
    for part in sorted(header, key=len, reverse=True):
        rest = rest.replace(squash(part), "", 1)
    return rest == ""


def scan_qr(pdf, page=0):
    """What a phone reads from the QR code printed on a PDF's page (rendered at 144 dpi)."""
    image = pypdfium2.PdfDocument(pdf)[page].render(scale=2).to_pil()
    [code] = [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]
    return code
