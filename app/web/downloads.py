"""Sending files: generated documents and packets, and uploaded materials.

Uploaded files come from outsiders: they are sent with `Content-Security-Policy:
sandbox`, so even a file that a browser renders (a PDF viewer running its
scripts, an image) runs in an origin of its own, never with the site's
cookies; and as attachments unless an inline view is asked for.
"""

from flask import Response, send_file

UPLOADED_FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def _private(response):
    response.headers["Cache-Control"] = "private, no-store"
    return response


def send_bytes(data, mimetype, filename, inline=False):
    """A generated file (document, packet) by name."""
    response = Response(data, mimetype=mimetype)
    response.headers.set("Content-Disposition", "inline" if inline else "attachment", filename=filename)
    return _private(response)


def send_upload(path, mimetype, filename, inline=False):
    """An uploaded file, sandboxed."""
    response = send_file(path, mimetype=mimetype, as_attachment=not inline, download_name=filename, max_age=0)
    response.headers["Content-Security-Policy"] = UPLOADED_FILE_CSP
    return _private(response)
