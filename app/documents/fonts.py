"""CJK fonts for PDFs, registered once per process.

WenQuanYi Micro Hei (TrueType, Apache-2.0, shipped in this folder) covers the
common and GB18030 characters; it has no glyphs for the rare characters of
CJK Extension B and later (e.g. 𠀀). For those, HanaMin B from Debian's
fonts-hanazono is used when it is installed (scripts/setup.sh installs it);
without it such a character still extracts correctly from the PDF's text but
shows as an empty box.
"""

import threading
from pathlib import Path

from reportlab.pdfbase import ttfonts

FONT_DIR = Path(__file__).resolve().parent / "fonts"
MAIN_FONT = "WQYMicroHei"
MAIN_PATH = FONT_DIR / "wqy-microhei.ttc"
FALLBACK_FONT = "HanaMinB"
FALLBACK_PATHS = [Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")]

_lock = threading.Lock()
_state = {}


def main_font():
    """Register the main font (once) and return its name and character map."""
    with _lock:
        if "main" not in _state:
            _fix_to_unicode_cmaps()
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            font = TTFont(MAIN_FONT, str(MAIN_PATH), subfontIndex=0)
            pdfmetrics.registerFont(font)
            _state["main"] = (MAIN_FONT, set(font.face.charToGlyph))
    return _state["main"]


def fallback_font():
    """The fallback font's name and character map, or (None, empty) when not installed.
    Loaded only when a character needs it (the file is large)."""
    with _lock:
        if "fallback" not in _state:
            _state["fallback"] = (None, set())
            path = next((p for p in FALLBACK_PATHS if p.is_file()), None)
            if path is not None:
                from reportlab.pdfbase import pdfmetrics
                from reportlab.pdfbase.ttfonts import TTFont

                font = TTFont(FALLBACK_FONT, str(path))
                pdfmetrics.registerFont(font)
                _state["fallback"] = (FALLBACK_FONT, set(font.face.charToGlyph))
    return _state["fallback"]


def with_fallback(markup):
    """Wrap characters the main font lacks in <font name=fallback> for ReportLab."""
    _, covered = main_font()
    if all(ord(ch) in covered or ord(ch) < 128 for ch in markup):
        return markup
    name, fallback = fallback_font()
    if name is None:
        return markup
    out = []
    for ch in markup:
        code = ord(ch)
        if code >= 128 and code not in covered and code in fallback:
            out.append(f'<font name="{name}">{ch}</font>')
        else:
            out.append(ch)
    return "".join(out)


def _to_unicode_cmap(fontname, subset):
    """ReportLab's ToUnicode CMap, but with characters beyond the BMP written as
    UTF-16 surrogate pairs as the PDF reference requires (ReportLab writes
    e.g. <20000>, which readers reject, so 𠀀 would not copy or search)."""
    if all(v <= 0xFFFF for v in subset):
        return _original_cmap(fontname, subset)
    lines = _original_cmap(fontname, subset).split("\n")
    start = lines.index(f"{len(subset)} beginbfchar") + 1
    lines[start:start + len(subset)] = [f"<{i:02X}> <{_units(v)}>" for i, v in enumerate(subset)]
    return "\n".join(lines)


def _units(code):
    if code <= 0xFFFF:
        return f"{code:04X}"
    code -= 0x10000
    return f"{0xD800 + (code >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"


_original_cmap = ttfonts.makeToUnicodeCMap


def _fix_to_unicode_cmaps():
    """Put the UTF-16-correct CMap writer in ReportLab's place, once, when the
    first PDF is about to be written (not when this module is imported)."""
    if ttfonts.makeToUnicodeCMap is not _to_unicode_cmap:
        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
