"""The library page: search, live updates from the CLI, and every page at a phone's width."""

import urllib.parse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from conftest import add_article, same_id


def test_search_marks_the_matches_and_a_hit_opens_the_article(library, browser):
    # `/` focuses the search box from anywhere on the page.
    browser.js("document.activeElement && document.activeElement.blur()")
    ActionChains(browser.driver).send_keys("/").perform()
    assert browser.js("return document.activeElement && document.activeElement.id") == "search-input"

    field = browser.find("form[role=search] input#search-input")
    field.clear()
    field.send_keys("zeppelin", Keys.ENTER)
    browser.wait(lambda d: urllib.parse.urlparse(d.current_url).path == "/search", "the /search page")
    browser.wait_ready()
    matches = browser.wait(lambda _: browser.all("#main mark.match"), "mark.match in the results")
    browser.shot("search-results")
    assert all(m.text.lower() == "zeppelin" for m in matches), [m.text for m in matches]

    reading = library.ids["reading"]
    links = [a for a in browser.all("#main a[href*='/articles/']")
             if same_id(urllib.parse.urlparse(a.get_attribute("href")).path.split("/")[-1], reading)]
    assert links, "no hit links to the article holding the word"
    links[0].click()
    browser.wait(lambda d: urllib.parse.urlparse(d.current_url).path.startswith("/articles/"), "the reader")
    browser.wait_for("article#reader h1#title")
    browser.wait_ready()
    browser.shot("search-hit-opened")
    assert browser.find("h1#title").text == library.title("reading")


def test_an_article_added_from_the_cli_appears_in_the_open_library_without_reload(library, browser, tmp_path):
    browser.visit("/")
    browser.js("window.__notReloaded = true")
    source = tmp_path / "live.md"
    title = "Arrived while the page was open 🛰"
    source.write_text(f"# {title}\n\nThis article is added from another terminal while the library page "
                      "is open, and the page shows it without being reloaded.\n\nA second paragraph.\n")
    article = add_article(library.store, source)

    def listed(_):  # read in one script: the list may be drawn again between two reads
        return browser.js("return [...document.querySelectorAll('#library li.article a.title')]"
                          ".map(a => [a.getAttribute('href'), a.textContent.trim()])")

    def shown(_):
        return [text for href, text in listed(_) if same_id(href.rsplit("/", 1)[-1], article)]
    assert browser.wait(shown, "the new article in #library", seconds=15) == [title]
    browser.wait_ready()
    browser.shot("live-added")
    assert browser.js("return window.__notReloaded === true"), "the page was reloaded"
    assert same_id(listed(None)[0][0].rsplit("/", 1)[-1], article), "not newest first"


def test_at_390_px_wide_no_page_scrolls_sideways(library, make_browser):
    browser = make_browser(library.server, 390, 844)
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    browser.sign_in(library.token)
    assert browser.js("return window.innerWidth") == 390
    for path in ("/", "/articles/" + library.ids["reading"], "/articles/" + library.ids["xss"],
                 "/annotations", "/conflicts", "/add", "/sync", "/search?q=paragraph"):
        browser.visit(path)
        widths = browser.js("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{path}: scrollWidth {widths[0]} > innerWidth {widths[1]}"
