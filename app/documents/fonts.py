"""CJK fonts for PDFs, registered once per process.

Body text is set in a Song (Ming) face, as official documents are: AR PL UMing
from Debian's fonts-arphic-uming (a TrueType collection ReportLab embeds,
under the Arphic Public License; scripts/setup.sh installs it). Titles,
headings and labels use WenQuanYi Micro Hei (TrueType, Apache-2.0, shipped in
this folder), which is also the body face when UMing is not installed.
Neither has the rare characters of CJK Extension B and later (e.g. 𠀀): for
those HanaMin B from fonts-hanazono is used when installed; without it such a
character still extracts correctly from the PDF's text but shows as a box.
"""

import threading
from pathlib import Path

from reportlab.pdfbase import ttfonts

FONT_DIR = Path(__file__).resolve().parent / "fonts"
MAIN_FONT = "WQYMicroHei"
MAIN_PATH = FONT_DIR / "wqy-microhei.ttc"
BODY_FONT = "UMingCN"
BODY_PATHS = [Path("/usr/share/fonts/truetype/arphic/uming.ttc")]
FALLBACK_FONT = "HanaMinB"
FALLBACK_PATHS = [Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")]

_lock = threading.Lock()
_state = {}


def _register(name, path, subfont=0):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(name, str(path), subfontIndex=subfont)
    pdfmetrics.registerFont(font)
    return name, set(font.face.charToGlyph)


def _installed(key, name, paths):
    """Register the first installed file of `paths` under `name` (once); (None, empty) when none is."""
    with _lock:
        if key not in _state:
            path = next((p for p in paths if p.is_file()), None)
            _state[key] = _register(name, path) if path is not None else (None, set())
    return _state[key]


def main_font():
    """The sans face of titles, headings and labels: its name and character map."""
    with _lock:
        if "main" not in _state:
            _fix_to_unicode_cmaps()
            _state["main"] = _register(MAIN_FONT, MAIN_PATH)
    return _state["main"]


def body_font():
    """The Song face of body text and values, or the sans face when UMing is not installed."""
    main_font()  # registers the CMap fix before any font is used
    found = _installed("body", BODY_FONT, BODY_PATHS)
    return found if found[0] else main_font()


def fallback_font():
    """The rare-character face's name and character map, or (None, empty) when not installed.
    Loaded only when a character needs it (the file is large)."""
    return _installed("fallback", FALLBACK_FONT, FALLBACK_PATHS)


def coverage(name):
    """The character map of a registered face, by name."""
    return next(chars for key, (face, chars) in list(_state.items()) if face == name)


def with_fallback(markup, covered=None):
    """Wrap characters the paragraph's font (its character map `covered`, by
    default the sans face's) lacks in <font name=…> of a face that has them:
    the sans face, then HanaMin B."""
    covered = main_font()[1] if covered is None else covered
    if all(ord(ch) in covered or ord(ch) < 128 for ch in markup):
        return markup
    faces = [face for face in (main_font(), fallback_font()) if face[0] and face[1] is not covered]
    out = []
    for ch in markup:
        code = ord(ch)
        face = next((f for f in faces if code in f[1]), None) if code >= 128 and code not in covered else None
        out.append(f'<font name="{face[0]}">{ch}</font>' if face else ch)
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
