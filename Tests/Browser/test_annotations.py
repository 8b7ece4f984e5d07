"""The Annotations page (every highlight and note, filtered, linking into the reader at the passage)
and the Sync page (a remote this store used, synced again with a button)."""

import urllib.parse

from selenium.webdriver.support.ui import Select

from conftest import gloss, gloss_json, same_id


def listed_ids(browser):
    return browser.js("return [...document.querySelectorAll('#annotations li.annotation[data-id]')]"
                      ".map(li => li.dataset.id)")


def test_annotations_filter_by_colour_and_link_into_the_reader(library, browser):
    article = library.ids["reading"]
    pink = gloss_json("highlight", article, "The second paragraph ends", "--color", "pink",
                      "--note", "a pink one", store=library.store)["id"]
    browser.visit("/annotations")
    browser.wait(lambda _: any(same_id(i, pink) for i in listed_ids(browser)), "the pink highlight listed")
    assert len(listed_ids(browser)) >= 2  # the XSS article's highlight and note too

    Select(browser.find("select[name=color]")).select_by_value("pink")
    browser.wait(lambda _: all(same_id(i, pink) for i in listed_ids(browser)) and listed_ids(browser),
                 "only the pink highlight listed")
    browser.wait_ready()
    browser.shot("annotations-pink")

    item = next(li for li in browser.all("#annotations li.annotation[data-id]")
                if same_id(li.get_attribute("data-id"), pink))
    assert "a pink one" in item.text
    item.find_element("css selector", 'a[href*="#ann-"]').click()
    browser.wait(lambda d: urllib.parse.urlparse(d.current_url).path.startswith("/articles/"), "the reader")
    browser.wait_for("article#reader h1#title")
    browser.wait_ready()
    browser.shot("annotation-link-opened")
    fragment = urllib.parse.urlparse(browser.driver.current_url).fragment
    assert fragment.startswith("ann-") and same_id(fragment[4:], pink), fragment
    assert browser.js("return [...document.querySelectorAll('mark.hl[data-id]')]"
                      ".some(m => m.dataset.id.replace(/-/g, '') === arguments[0])", pink.replace("-", ""))


def test_the_sync_page_syncs_with_a_folder_used_before(library, browser, tmp_path):
    folder = tmp_path / "shared"
    gloss("sync", folder, store=library.store)
    browser.visit("/sync")
    remote = browser.wait(lambda _: [li for li in browser.all("#remotes li.remote[data-target]")
                                     if li.get_attribute("data-target") == str(folder)], "the folder listed")[0]
    remote.find_element("css selector", "button[data-action=sync]").click()
    outcome = browser.wait(lambda _: browser.find("#sync-outcome").text.strip(), "#sync-outcome to say something")
    browser.shot("synced")
    flash = browser.all("#flash")
    assert not flash or not flash[0].text.strip(), flash[0].text
    assert outcome
