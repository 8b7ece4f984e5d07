"""Saving a page from the browser: POST /capture with a capture token, as the bookmarklet sends it
(JSON through fetch, or a form POST where the page's CSP blocks fetch), and the bookmarklet made on
the Add page run on a page of another origin."""

import http.server
import json
import threading
import time
import urllib.parse

import pytest

from conftest import FIXTURES, eventually, gloss_json, same_id

PAGE = (FIXTURES / "capture-page.html").read_text()
TITLE = "A page saved from the browser"


class Pages(http.server.BaseHTTPRequestHandler):
    """Another origin's pages: /page.html, and /strict.html whose CSP forbids fetch (connect-src)."""

    def do_GET(self):
        body = PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if self.path.startswith("/strict.html"):
            self.send_header("Content-Security-Policy", "connect-src 'none'")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def capture_token(library):
    status, _, body = library.server.request(
        "/api/v1/capture-tokens", method="POST", body={},
        headers={"Authorization": "Bearer " + library.token})
    assert status == 201, body
    made = json.loads(body)
    assert made["endpoint"] == library.url + "/capture", made
    return made["token"]


def articles_at(library, url):
    return [a for a in gloss_json("list", store=library.store) if a.get("url") == url]


def test_capture_as_json_and_as_a_form_post_and_twice_gives_one_article(library):
    token = capture_token(library)
    origin = "http://news.example"

    status, headers, _ = library.server.request("/capture", method="OPTIONS", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert status in (200, 204), status
    assert headers.get("Access-Control-Allow-Origin") in ("*", origin)
    assert "authorization" in (headers.get("Access-Control-Allow-Headers") or "").lower()

    # 1. JSON through fetch.
    url = "http://news.example/2024/lighthouses?way=json"
    payload = {"url": url, "html": PAGE, "title": TITLE}
    capture = {"Authorization": "Bearer " + token, "Origin": origin}
    status, headers, body = library.server.request("/capture", method="POST", body=payload, headers=capture)
    assert status == 201, body
    assert headers.get("Access-Control-Allow-Origin") in ("*", origin)
    first = json.loads(body)
    assert first["created"] is True and first["article"]["title"] == TITLE
    assert first["link"] == f"{library.url}/articles/{first['article']['id']}"
    assert [a["id"] for a in articles_at(library, url)] == [first["article"]["id"]]

    status, _, body = library.server.request("/capture", method="POST", body=payload, headers=capture)
    assert status == 200, body
    again = json.loads(body)
    assert again["created"] is False and again["article"]["id"] == first["article"]["id"]
    assert len(articles_at(library, url)) == 1

    # 2. A form POST, for pages whose CSP blocks fetch.
    url = "http://news.example/2024/lighthouses?way=form"
    form = urllib.parse.urlencode({"token": token, "url": url, "html": PAGE})
    ids = []
    for _ in range(2):
        status, headers, body = library.server.request(
            "/capture", method="POST", body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": origin})
        assert status in (200, 201), body
        assert headers.get_content_type() == "text/html"
        page = body.decode()
        assert "Saved" in page and TITLE in page, page[:1000]
        saved = articles_at(library, url)
        assert len(saved) == 1, saved
        assert f"/articles/{saved[0]['id']}" in page
        ids.append(saved[0]["id"])
    assert ids[0] == ids[1]


def test_capture_takes_only_a_capture_token(library):
    payload = {"url": "http://news.example/refused", "html": PAGE, "title": TITLE}
    for token in (library.token, "gloss_not-a-token"):
        status, _, _ = library.server.request(
            "/capture", method="POST", body=payload, headers={"Authorization": "Bearer " + token})
        assert status == 401, token
    status, _, _ = library.server.request(
        "/api/v1/articles", headers={"Authorization": "Bearer " + capture_token(library)})
    assert status == 401
    assert articles_at(library, "http://news.example/refused") == []


def run_bookmarklet(browser, code, page_url, windows=1):
    """Runs the bookmarklet on `page_url`, accepting the dialogs it opens; returns their texts."""
    browser.driver.get(page_url)
    browser.shot("page-to-save")
    browser.js(code)
    dialogs = []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        text = browser.alert_text()
        if text is not None:
            dialogs.append(text)
            browser.driver.switch_to.alert.accept()
        if len(browser.driver.window_handles) > windows or dialogs:
            break
        time.sleep(0.1)
    return dialogs


def test_the_bookmarklet_from_the_add_page_saves_the_page_it_runs_on(library, browser, other_origin):
    browser.visit("/add")
    browser.find("button#new-capture-token").click()
    link = browser.wait_for('a#bookmarklet[href^="javascript:"]')
    browser.shot("bookmarklet")
    code = urllib.parse.unquote(link.get_attribute("href")[len("javascript:"):])

    # fetch, from another origin: the answer comes back (CORS), and the person is told.
    url = other_origin + "/page.html"
    dialogs = run_bookmarklet(browser, code, url)
    saved = eventually(lambda: articles_at(library, url), "the page in gloss list --json")
    assert len(saved) == 1 and saved[0]["title"] == TITLE
    assert any("/articles/" in text for text in dialogs), f"no dialog gave the link: {dialogs}"
    run_bookmarklet(browser, code, url)
    time.sleep(1)
    assert [a["id"] for a in articles_at(library, url)] == [saved[0]["id"]]

    # Where the page's CSP blocks fetch, the form POST in a new tab.
    url = other_origin + "/strict.html"
    run_bookmarklet(browser, code, url)
    saved = eventually(lambda: articles_at(library, url), "the strict page in gloss list --json")
    assert len(saved) == 1
    handles = browser.driver.window_handles
    assert len(handles) == 2, "the form POST did not open the outcome page"
    browser.driver.switch_to.window(handles[-1])
    browser.wait(lambda d: "Saved" in d.find_element("css selector", "body").text, "the 'Saved:' page")
    browser.shot("saved-page")
    links = [a.get_attribute("href") for a in browser.all("a[href*='/articles/']")]
    assert any(same_id(h.rsplit("/", 1)[-1], saved[0]["id"]) for h in links), links
