"""Signing in, what answers without a session, and the headers every page carries."""

import json
import re

from conftest import same_id


def test_without_a_session_pages_answer_the_login_page_and_the_api_401_json(library):
    status, headers, body = library.server.request("/")
    assert status == 401
    assert headers.get_content_type() == "text/html"
    page = body.decode()
    assert 'action="/login"' in page and 'name="token"' in page, page[:2000]

    status, headers, body = library.server.request("/articles/" + library.ids["reading"])
    # The sign-in form returns to the page asked for.
    assert status == 401 and 'action="/login?next=/articles/' in body.decode()

    status, headers, body = library.server.request("/api/v1/articles")
    assert status == 401
    assert headers.get_content_type() == "application/json"
    message = json.loads(body)["error"]["message"]
    assert isinstance(message, str) and message.strip()


def test_a_wrong_token_is_refused_with_the_login_page_and_a_message(library):
    status, _, body = library.server.request(
        "/login", method="POST", body="token=gloss_not-a-token",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 401
    page = body.decode()
    assert 'action="/login"' in page
    assert "<!--gloss:message-->" not in page  # the placeholder is filled with the message


def test_sign_in_through_the_form_sets_a_strict_httponly_cookie_and_shows_the_library(library, make_browser):
    browser = make_browser(library.server)
    browser.driver.get(library.url + "/")
    browser.shot("login-page-at-root")
    assert browser.all('form[action="/login"] input[name="token"][type="password"]')
    assert browser.js("return document.querySelector('input[name=token]').labels.length") >= 1

    browser.sign_in(library.token, shots=True)

    cookies = browser.driver.get_cookies()
    assert cookies, "no cookie after signing in"
    assert all(c.get("httpOnly") for c in cookies), cookies
    assert all(c.get("sameSite") == "Strict" for c in cookies), cookies
    assert browser.js("return document.cookie") == ""  # the page's script never sees the session

    for href in ("/", "/annotations", "/conflicts", "/add", "/sync"):
        assert browser.all(f'nav a[href="{href}"]'), f"no nav link to {href}"
    assert browser.all("form[role=search] input#search-input")
    links = browser.all("#library li.article a.title")
    hrefs = [link.get_attribute("href") for link in links]
    for name in ("reading", "xss"):
        assert any(same_id(h.rsplit("/", 1)[-1], library.ids[name]) for h in hrefs), (name, hrefs)
    assert library.title("reading") in [link.text for link in links]


CSP = {
    "default-src": "'none'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "connect-src": "'self'", "form-action": "'self'", "base-uri": "'none'", "frame-ancestors": "'none'",
}


def check_security_headers(path, headers):
    policy = headers.get("Content-Security-Policy")
    assert policy, f"{path}: no Content-Security-Policy"
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = " ".join(words[1:])
    for name, value in CSP.items():
        assert directives.get(name) == value, f"{path}: {name} is {directives.get(name)!r} in {policy!r}"
    assert "unsafe" not in policy, f"{path}: {policy}"
    assert headers.get("X-Content-Type-Options") == "nosniff", f"{path}: {headers.get('X-Content-Type-Options')}"
    assert headers.get("Referrer-Policy"), f"{path}: no Referrer-Policy"


def test_pages_assets_and_api_carry_csp_nosniff_and_referrer_policy(library, browser):
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in browser.driver.get_cookies())
    signed_in = {"Cookie": cookie}
    article = "/articles/" + library.ids["reading"]
    for path, headers, expected in [
        ("/", signed_in, 200),
        (article, signed_in, 200),
        ("/annotations", signed_in, 200),
        ("/conflicts", signed_in, 200),
        ("/add", signed_in, 200),
        ("/sync", signed_in, 200),
        ("/search?q=zeppelin", signed_in, 200),
        ("/login", {}, 200),
        ("/", {}, 401),
        ("/assets/app.js", {}, 200),
        ("/assets/reader.css", {}, 200),
        ("/api/v1/session", signed_in, 200),
        ("/api/v1/articles", {}, 401),
        ("/api/v1/articles", {"Authorization": "Bearer " + library.token}, 200),
    ]:
        status, response_headers, body = library.server.request(path, headers=headers)
        assert status == expected, f"{path}: {status} {body[:300]!r}"
        check_security_headers(path, response_headers)
    status, headers, _ = library.server.request("/assets/app.js")
    assert headers.get_content_type() in ("text/javascript", "application/javascript")
    status, headers, _ = library.server.request("/assets/reader.css")
    assert headers.get_content_type() == "text/css"
    status, headers, body = library.server.request("/", headers=signed_in)
    page = body.decode()
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert any('src="/assets/app.js"' in tag and 'type="module"' in tag for tag in scripts), scripts
    assert all("src=" in tag for tag in scripts), f"an inline script: {scripts}"
    assert "style=" not in page
