"""A thin layer over Flask's test client that behaves like a person with a browser:
it reads the CSRF token from the page it is on before submitting a form."""

import re

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_from(html):
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Browser:
    def __init__(self, client, ip="127.0.0.1"):
        self.client = client
        self.ip = ip

    def get(self, url, **kwargs):
        return self.client.get(url, environ_base={"REMOTE_ADDR": self.ip}, **kwargs)

    def post(self, url, data=None, **kwargs):
        return self.client.post(url, data=data or {}, environ_base={"REMOTE_ADDR": self.ip}, **kwargs)

    def submit(self, url, data=None, page=None, **kwargs):
        """Open `page` (default: `url`), take its CSRF token, post `data` to `url`."""
        html = self.get(page or url).get_data(as_text=True)
        data = dict(data or {})
        data["csrf_token"] = csrf_from(html)
        return self.post(url, data=data, **kwargs)


def flashes(browser, response):
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    return " ".join(re.findall(r'class="alert alert-[a-z]+" role="status">([^<]*)<', page))
