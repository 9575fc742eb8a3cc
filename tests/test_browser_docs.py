"""`/docs` renders the API's operations under the app's own Content-Security-Policy."""

import pytest
from browser_support import watch
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_every_operation_with_no_csp_errors(page, live_server):
    problems = watch(page)
    page.goto("/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible(timeout=15_000)
    schema = page.request.get(f"{live_server}/openapi.json").json()
    expected = sum(len(methods) for methods in schema["paths"].values())
    expect(operations).to_have_count(expected)
    expect(page.locator(".opblock-summary-path", has_text="/api/exercises").first).to_be_visible()
    assert problems == []


def test_the_docs_page_has_no_inline_script(client):
    from html.parser import HTMLParser

    scripts: list[tuple[dict, str]] = []

    class Scripts(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "script":
                scripts.append((dict(attrs), ""))

        def handle_data(self, data):
            if scripts and self.lasttag == "script" and data.strip():
                scripts[-1] = (scripts[-1][0], data)

    Scripts().feed(client.get("/docs").text)
    assert scripts, "no scripts at all"
    for attrs, body in scripts:
        assert attrs.get("src", "").startswith("/docs/"), attrs
        assert body == ""
