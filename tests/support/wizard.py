"""Walking the wizard over HTTP, for the wizard's own stories."""

import re


def walk(browser, app_id, steps):
    """Post every step in order, following the redirects the wizard gives."""
    url = f"/applications/{app_id}/steps/enterprise"
    visited = []
    while "/steps/" in url:
        step_id = url.split("/steps/")[1].split("?")[0]
        visited.append(step_id)
        response = browser.submit(url, {**steps[step_id], "action": "next"})
        assert response.status_code == 302, (step_id, re.findall(r'invalid-feedback[^>]*>(.*?)</div>',
                                                                   response.get_data(as_text=True)))
        url = response.headers["Location"]
    assert url.endswith("/check")
    return visited
