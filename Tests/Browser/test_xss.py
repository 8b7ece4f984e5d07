"""Untrusted text (article text, titles, notes) renders as text: no script runs, no element is made
from it, and the words show exactly as typed."""

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
