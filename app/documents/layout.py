"""Turning a compiled template and a context into the document model."""

from html import unescape

from app.documents.model import (
    Document,
    Grid,
    GridCell,
    Heading,
    KeyValues,
    PageBreak,
    Paragraph,
    QRCode,
    Seal,
    Signatures,
    Table,
)
from app.text import printable

LONG_TEXT = 200  # characters; longer answers are set as prose after the table, which can break across pages


def text_of(compiled, context):
    """Rendered text as plain text. Jinja autoescapes the values; unescaping the
    whole result also treats the template's own words as plain text, and each
    writer then escapes for its format (ReportLab markup; nothing for Word)."""
    return printable(unescape(str(compiled(context))).strip()) if compiled is not None else ""


def _answers_all(context):
    """The application form's body, derived from the spec: a bordered table per
    step, tables for repeating groups, long texts as paragraphs."""
    blocks = []
    for step in context["steps"]:
        rows, after = [], []
        for item in step["items"]:
            if item["kind"] == "table":
                after.append(Table(columns=list(item["columns"]),
                                   rows=[list(row) for row in item["rows"]] or [["" for _ in item["columns"]]],
                                   title=item["label"]))
            elif len(item["value"]) > LONG_TEXT or "\n" in item["value"]:
                after.append(Heading(item["label"], level=3))
                after.extend(Paragraph(line, indent=True) for line in item["value"].split("\n") if line)
            else:
                rows.append((item["label"], item["value"]))
        blocks.append(Heading(step["title"], level=2))
        if rows:
            blocks.append(KeyValues(rows=rows))
        blocks.extend(after)
    return blocks


def _grid(block, context):
    rows = [[GridCell(text=text_of(text, context), label=is_label, span=span, align=align)
             for text, is_label, span, align in cells]
            for condition, cells in block["rows"] if condition is None or condition(context)]
    return Grid(widths=list(block["raw"]["grid"]["widths"]), rows=rows,
                title=text_of(block.get("title"), context) or None)


def _blocks(compiled_blocks, context):
    out = []
    for block in compiled_blocks:
        if "if" in block and not block["if"](context):
            continue
        kind, raw = block["kind"], block["raw"]
        if kind == "for":
            for item in block["iter"](context) or []:
                out.extend(_blocks(block["blocks"], {**context, block["var"]: item}))
        elif kind == "heading":
            out.append(Heading(text_of(block["text"], context), level=raw.get("level", 1)))
        elif kind == "paragraph":
            text = text_of(block["text"], context)
            for line in text.split("\n"):
                if line.strip():
                    out.append(Paragraph(line.strip(), align=raw.get("align", "left"), size=raw.get("size", "normal"),
                                         bold=raw.get("bold", False), indent=raw.get("indent", False)))
        elif kind == "key_values":
            out.append(KeyValues(rows=[(text_of(k, context), text_of(v, context)) for k, v in block["rows"]],
                                 title=text_of(block.get("title"), context) or None))
        elif kind == "table":
            rows = [[text_of(cell, {**context, "row": row, "number": n}) for cell in block["cells"]]
                    for n, row in enumerate(block["rows"](context) or [], 1)]
            out.append(Table(columns=[text_of(c, context) for c in block["columns"]], rows=rows,
                             title=text_of(block.get("title"), context) or None,
                             widths=raw["table"].get("widths")))
        elif kind == "grid":
            out.append(_grid(block, context))
        elif kind == "answers":
            out.extend(_answers_all(context))
        elif kind == "signatures":
            out.append(Signatures(labels=[text_of(label, context) for label in block["labels"]]))
        elif kind == "qr":
            out.append(QRCode(data=text_of(block["text"], context),
                              caption=text_of(block.get("caption"), context) or None))
        elif kind == "seal":
            out.append(Seal(office=text_of(block["text"], context), date=text_of(block.get("date"), context),
                            qr=text_of(block.get("verify_qr"), context) or None,
                            caption=text_of(block.get("caption"), context) or None))
        elif kind == "page_break":
            out.append(PageBreak())
    return out


def build_document(template, context):
    application = context.get("application") or {}
    return Document(
        id=template.id,
        title=text_of(template.title, context),
        header_left=text_of(template.header_left, context),
        header_right=text_of(template.header_right, context),
        blocks=_blocks(template.blocks, context),
        author=str(application.get("enterprise") or ""),
        subject=str((context.get("spec") or {}).get("title") or ""),
    )
