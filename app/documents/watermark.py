"""A word across every page of a finished PDF (样表 on the guide's sample
forms): drawn once per page size with ReportLab, laid over each page with pypdf,
so the documents are written exactly as for a real case."""

import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.pdfgen import canvas as pdfcanvas

from app.documents.fonts import main_font

GREY = colors.Color(0.55, 0.55, 0.55, alpha=0.28)


def _stamp(width, height, text):
    buffer = io.BytesIO()
    canvas = pdfcanvas.Canvas(buffer, pagesize=(width, height))
    canvas.setFillColor(GREY)
    canvas.setFont(main_font()[0], min(width, height) / max(2, len(text)) * 0.9)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, 0, text)
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue())).pages[0]


def watermark(pdf, text):
    reader, writer, stamps = PdfReader(io.BytesIO(pdf)), PdfWriter(), {}
    for page in reader.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = _stamp(*size, text)
        page.merge_page(stamps[size])
        writer.add_page(page)
    writer.add_metadata({"/Title": f"{text} — {reader.metadata.title if reader.metadata else ''}".strip(" —")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
