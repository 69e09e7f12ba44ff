"""What the site-wide layer offers the screens: translating a marked message,
reading crafted query values safely, sending files and CSV, error messages."""

from app.web.downloads import send_bytes, send_upload
from app.web.errors import UserMessage
from app.web.i18n import current_lang, error_text, translate
from app.web.params import bad_request, date_value, id_value, page_number
from app.web.spreadsheet import csv_response

__all__ = ["UserMessage", "bad_request", "csv_response", "current_lang", "date_value", "error_text", "id_value",
           "page_number", "send_bytes", "send_upload", "translate"]
