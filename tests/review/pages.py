"""Reading the officers' pages as a person (or a screen reader) would: an element's
attributes and its text, found by id, with the standard library's HTML parser."""

import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attrs = {}  # id → {attribute: value}
        self.texts = {}  # id → the text inside the element
        self._open = []  # [(tag, id or None)]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.attrs[attrs["id"]] = {"tag": tag, **attrs}
            self.texts[attrs["id"]] = ""
        if tag not in VOID:
            self._open.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        for _, element_id in self._open:
            if element_id:
                self.texts[element_id] += data


def parse(html):
    page = _Page()
    page.feed(html)
    return page


def attrs(html, element_id):
    """The attributes of the element with `element_id` (and its "tag"); {} when there is none."""
    return parse(html).attrs.get(element_id, {})


def text(html, element_id):
    """The text of the element with `element_id`, white space squeezed; None when there is none."""
    found = parse(html).texts.get(element_id)
    return None if found is None else re.sub(r"\s+", " ", found).strip()


def visible_text(html):
    """The page's text without its tags (and without <style> or <script>)."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
