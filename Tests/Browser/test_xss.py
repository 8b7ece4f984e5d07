"""Untrusted text (article text, titles, notes) renders as text: no script runs, no element is made
from it, and the words show exactly as typed."""

from conftest import add_article, gloss_json

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

# Elements the untrusted texts would make if they went through innerHTML; the CSP would stop the
# handlers running, so their mere presence is the failure to look for.
INJECTED = """
return [...document.querySelectorAll('img[src="x"], img[onerror], #article-body b, #main script, [onerror]')]
  .filter(e => !e.closest('code, pre')).map(e => e.outerHTML);
"""


def check_inert(browser):
    browser.no_dialog_within(1.5)
    assert browser.js(INJECTED) == []
    scripts = browser.js("return [...document.scripts].map(s => s.getAttribute('src'))")
    assert all(src and src.startswith("/assets/") for src in scripts), scripts


def test_script_in_article_text_and_html_in_notes_render_as_text(library, browser):
    browser.visit("/articles/" + library.ids["xss"])
    browser.wait_for("#article-body span[data-start]")
    check_inert(browser)
    body = browser.find("#article-body").text
    assert SCRIPT in body
    assert "<b>bold</b> markup & an ampersand" in body
    assert SCRIPT in browser.find("h1#title").text  # the title is the text's first line
    assert IMG in browser.find("#article-notes").text
    browser.shot("xss-reader")

    # The highlight whose note is the same HTML: its editor shows the note as typed.
    marks = browser.all("mark.hl[data-id]")
    assert marks, "the highlight made with `gloss highlight` is not drawn"
    marks[0].click()
    area = browser.wait_for("#annotation-editor").find_element("css selector", "textarea[name=note]")
    assert area.get_attribute("value") == IMG
    browser.shot("xss-editor")
    check_inert(browser)


def test_the_library_and_annotations_pages_show_the_same_texts_inert(library, browser):
    check_inert(browser)  # the library, where the title is listed
    titles = [a.text for a in browser.all("#library li.article a.title")]
    assert any(SCRIPT in title for title in titles), titles

    browser.visit("/annotations")
    browser.wait_for("#annotations li.annotation[data-id]")
    check_inert(browser)
    assert IMG in browser.find("#annotations").text

    browser.visit("/search?q=ampersand")
    check_inert(browser)


def test_an_address_that_is_no_web_address_is_shown_not_linked(library, browser, tmp_path):
    """A file (or a peer) can give an article any address, `javascript:` ones too: the reader
    links only http and https addresses and shows any other as text."""
    page = tmp_path / "odd-address.md"
    page.write_text("---\ntitle: An odd address\nurl: javascript:alert(document.cookie)\n---\n\n"
                    "A paragraph long enough to be kept as the text of this article, and a second sentence.\n")
    article = add_article(library.store, page)
    assert gloss_json("show", article, store=library.store)["article"]["url"].startswith("javascript:")
    browser.visit("/articles/" + article)
    browser.wait_for("#article-body span[data-start]")
    assert browser.js("return document.querySelectorAll('a[href^=\"javascript:\" i]').length") == 0
    assert "javascript:alert(document.cookie)" in browser.find("article#reader header").text
    check_inert(browser)
