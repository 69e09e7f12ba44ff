"""Small real files for upload tests."""

import base64
import io

# A one-page PDF and a 1×1 PNG, small but well-formed.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def upload(data, name):
    return (io.BytesIO(data), name)


def _pdf(objects, catalog_extra=b""):
    """A small well-formed PDF with a classic xref table; `objects` are the bodies of objects 4…"""
    bodies = [b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
              b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>", *objects]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


# JavaScript run on opening, a program launched, a form sent away.
PDF_OPEN_ACTION_JS = _pdf([b"<</S/JavaScript/JS(app.alert(1))>>"], b"/OpenAction 4 0 R")
PDF_LAUNCH = _pdf([b"<</S/Launch/F(cmd.exe)>>"], b"/OpenAction 4 0 R")
PDF_ESCAPED_NAMES = _pdf([b"<</S/J#61vaScript/J#53(app.alert(1))>>"], b"/OpenAction 4 0 R")


def pdf_with_script_in_an_object_stream():
    """The script's dictionary compressed inside an object stream, where a
    search of the raw bytes cannot see it (an xref stream points at it)."""
    import zlib

    action = b"<</S/JavaScript/JS(app.alert(1))>>"
    header = b"4 0 "
    packed = zlib.compress(header + action)
    bodies = [b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
              b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>"]
    out, offsets = bytearray(b"%PDF-1.7\n"), {}
    for number, body in enumerate(bodies, 1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    offsets[5] = len(out)
    stream_head = b"<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>" % (len(header), len(packed))
    out += (b"5 0 obj\n" + stream_head + b"\nstream\n" + packed + b"\nendstream\nendobj\n")
    offsets[6] = len(out)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for number in range(1, 7):
        if number == 4:
            rows.append(b"\x02" + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    out += (b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n" % len(table)
            + table + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)


def with_incremental_update(pdf):
    """`pdf` with an appended revision that draws new text on its first page:
    the signed bytes stay intact, the page a reader sees does not."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    added = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 400 Td (CHANGED) Tj ET"))
    contents = page["/Contents"]
    parts = list(contents) if isinstance(contents, generic.ArrayObject) else [contents]
    page["/Contents"] = generic.ArrayObject([*parts, added])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def with_one_byte_changed(pdf, at=0.4):
    data = bytearray(pdf)
    position = int(len(data) * at)
    data[position] = (data[position] + 1) % 256
    return bytes(data)


PLAIN_PDF = _pdf([])  # with a proper cross-reference table, which signing tools insist on
