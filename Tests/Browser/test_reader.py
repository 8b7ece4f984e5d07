"""The reader: the article typeset from its blocks, and highlights and notes made by selecting text,
each checked against what `gloss annotations --json` stored (positions in code points)."""

import time

from selenium.common.exceptions import StaleElementReferenceException

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from conftest import add_article, annotations, eventually, gloss_json, same_id

# Passages of fixtures/reading.md's stored text, each (first words, last words) inclusive.
AFTER_EMOJI = (", then words", "follow it")  # starts right after "😀😀": 2 code points, 4 UTF-16 units
ACROSS_PARAGRAPHS = ("this sentence.", "The third paragraph")
COMBINING = ("a combining", "here.")  # holds "e" + U+0301
LIST_ITEM = ("with 🎉", "party")


def offsets(text, passage):
    """[start, end) of a passage in code points (Python's str indices), found by its first and last
    words; the passage must occur once."""
    first, last = passage
    start = text.index(first)
    assert text.count(first) == 1, first
    end = text.index(last, start) + len(last)
    return start, end


def open_reader(browser, library, name="reading"):
    browser.visit("/articles/" + library.ids[name])
    browser.wait_for("article#reader h1#title")
    browser.wait_for("#article-body span[data-start]")


def mark_ids(browser):
    return set(browser.js("return [...document.querySelectorAll('mark.hl[data-id]')].map(m => m.dataset.id)"))


def marks_text(browser, annotation_id):
    """The text of every mark of one highlight, in document order, joined."""
    return browser.js(
        "const id = arguments[0].replace(/-/g, '').toLowerCase();"
        "return [...document.querySelectorAll('mark.hl[data-id]')]"
        ".filter(m => m.dataset.id.replace(/-/g, '').toLowerCase() === id).map(m => m.textContent).join('')",
        annotation_id)


def first_mark(browser, annotation_id):
    for mark in browser.all("mark.hl[data-id]"):
        if same_id(mark.get_attribute("data-id"), annotation_id):
            return mark
    raise AssertionError(f"no mark.hl for {annotation_id}")


def click_mark(browser, annotation_id):
    """Clicks a highlight, again if a live re-render replaced its mark meanwhile."""
    for _ in range(5):
        try:
            first_mark(browser, annotation_id).click()
            return
        except StaleElementReferenceException:
            time.sleep(0.2)
    raise AssertionError(f"the mark of {annotation_id} kept being replaced")


def mark_classes(browser, annotation_id):
    for _ in range(5):
        try:
            return first_mark(browser, annotation_id).get_attribute("class").split()
        except StaleElementReferenceException:
            time.sleep(0.2)
    raise AssertionError(f"the mark of {annotation_id} kept being replaced")


def select_and_press(browser, start, end, button):
    """Selects [start, end), waits for #selection-toolbar and presses `button` in it; returns the
    string the selection held."""
    selected = browser.select(start, end)
    toolbar = browser.wait_for("#selection-toolbar")
    browser.shot("selection-toolbar")
    toolbar.find_element("css selector", button).click()
    return selected


def new_highlight(browser, before):
    """Waits for a mark.hl whose data-id was not there before; returns that id."""
    def appeared(_):
        return next(iter(mark_ids(browser) - before), False)
    annotation_id = browser.wait(appeared, "a new mark.hl[data-id]")
    browser.shot("highlighted")
    return annotation_id


def stored(library, annotation_id, condition=lambda a: True, what="the annotation"):
    """The annotation as `gloss annotations --json` gives it, once `condition` holds."""
    def found():
        for key, annotation in annotations(library.store).items():
            if same_id(key, annotation_id) and condition(annotation):
                return annotation
        return None
    return eventually(found, f"{what} ({annotation_id}) in gloss annotations --json")


def check_anchor(annotation, text, start, end):
    anchor = annotation["anchor"]
    assert (anchor["start"], anchor["end"]) == (start, end), (anchor, text[start:end])
    assert anchor["exact"] == text[start:end]


def editor(browser):
    return browser.wait_for("#annotation-editor")


def save_editor(browser, note=None, color=None, tags=None):
    dialog = editor(browser)
    if note is not None:
        area = dialog.find_element("css selector", "textarea[name=note]")
        area.clear()
        area.send_keys(note)
    if color is not None:
        dialog.find_element("css selector", f"button[data-color={color}]").click()
    if tags is not None:
        field = dialog.find_element("css selector", "input[name=tags]")
        field.clear()
        field.send_keys(tags)
    browser.shot("editor-filled")
    dialog.find_element("css selector", "button[data-action=save]").click()
    browser.wait_gone("#annotation-editor")
    browser.shot("editor-saved")


def test_the_reader_renders_blocks_and_every_span_holds_the_stored_text_at_its_offset(library, browser):
    open_reader(browser, library)
    assert browser.find("h1#title").text == library.title("reading")
    body = browser.find("#article-body")
    assert [h.text for h in body.find_elements("css selector", "h2")] == ["A heading in between"]
    assert [li.text for li in body.find_elements("css selector", "ul > li")] == [
        "one item in a list", "another item, with 🎉 party"]
    assert len(body.find_elements("css selector", "p")) >= 4
    content = body.get_attribute("textContent")
    assert "## " not in content and "- one" not in content  # markers are drawn, not text

    text = library.text("reading")
    spans = browser.js(
        "return [...document.querySelectorAll('#article-body span[data-start]')]"
        ".filter(s => !s.querySelector('span[data-start]'))"
        ".map(s => [Number(s.dataset.start), s.textContent])")
    assert spans
    for start, shown in spans:
        assert text[start:start + len(shown)] == shown, (start, shown)
    covered = "".join(shown for _, shown in sorted(spans))
    for line in text.split("\n"):
        words = line.lstrip("#- ").strip()
        assert not words or words in covered, words


def test_highlight_a_passage_right_after_an_emoji_from_the_toolbar(library, browser):
    open_reader(browser, library)
    text = library.text("reading")
    start, end = offsets(text, AFTER_EMOJI)
    before = mark_ids(browser)
    selected = select_and_press(browser, start, end, "button[data-action=highlight]")
    assert selected == text[start:end]

    annotation_id = new_highlight(browser, before)
    annotation = stored(library, annotation_id)
    check_anchor(annotation, text, start, end)
    assert annotation["kind"] == "highlight"
    assert marks_text(browser, annotation_id) == text[start:end]

    browser.driver.refresh()
    browser.wait_ready()
    assert marks_text(browser, annotation_id) == text[start:end]  # drawn again from the store


def test_highlight_in_a_colour_a_passage_holding_a_combining_character(library, browser):
    open_reader(browser, library)
    text = library.text("reading")
    start, end = offsets(text, COMBINING)
    assert "e\u0301" in text[start:end]
    before = mark_ids(browser)
    select_and_press(browser, start, end, "button[data-color=green]")

    annotation_id = new_highlight(browser, before)
    annotation = stored(library, annotation_id)
    check_anchor(annotation, text, start, end)
    assert annotation["color"] == "green"
    assert "hl-green" in mark_classes(browser, annotation_id)


def test_note_on_a_passage_spanning_two_paragraphs_from_the_toolbar(library, browser):
    open_reader(browser, library)
    text = library.text("reading")
    start, end = offsets(text, ACROSS_PARAGRAPHS)
    assert "\n\n" in text[start:end]
    before = mark_ids(browser)
    select_and_press(browser, start, end, "button[data-action=note]")
    note = "Two paragraphs, one thought — with *emphasis* 🙂"
    save_editor(browser, note=note)

    annotation_id = new_highlight(browser, before)
    annotation = stored(library, annotation_id, lambda a: a.get("note") == note, "the note")
    check_anchor(annotation, text, start, end)
    assert marks_text(browser, annotation_id) == text[start:end].replace("\n", "")
    assert len([m for m in browser.all("mark.hl") if same_id(m.get_attribute("data-id"), annotation_id)]) >= 2


def test_highlight_then_add_a_note_edit_it_and_delete_it(library, browser):
    open_reader(browser, library)
    text = library.text("reading")
    start, end = offsets(text, LIST_ITEM)
    before = mark_ids(browser)
    select_and_press(browser, start, end, "button[data-action=highlight]")
    annotation_id = new_highlight(browser, before)
    check_anchor(stored(library, annotation_id), text, start, end)

    # A note through the editor, opened by clicking the highlight.
    click_mark(browser, annotation_id)
    save_editor(browser, note="First thoughts")
    stored(library, annotation_id, lambda a: a.get("note") == "First thoughts", "the note")

    # Edit: note, colour and tags.
    click_mark(browser, annotation_id)
    dialog = editor(browser)
    assert dialog.find_element("css selector", "textarea[name=note]").get_attribute("value") == "First thoughts"
    save_editor(browser, note="Second thoughts", color="blue", tags="alpha, beta")
    edited = stored(library, annotation_id,
                    lambda a: a.get("note") == "Second thoughts" and a.get("color") == "blue",
                    "the edited note and colour")
    assert sorted(edited["tags"]) == ["alpha", "beta"]
    check_anchor(edited, text, start, end)
    assert "hl-blue" in mark_classes(browser, annotation_id)

    # Delete.
    click_mark(browser, annotation_id)
    editor(browser).find_element("css selector", "button[data-action=delete]").click()
    time.sleep(0.5)
    if browser.alert_text() is not None:  # a confirm() is a fair way to ask
        browser.driver.switch_to.alert.accept()
    browser.wait(lambda _: not any(same_id(i, annotation_id) for i in mark_ids(browser)), "the mark to go")
    browser.shot("deleted")
    eventually(lambda: not any(same_id(i, annotation_id) for i in annotations(library.store)),
               "the highlight to leave gloss annotations --json")


def test_an_open_editor_is_not_clobbered_by_a_change_from_the_cli(library, browser):
    article = library.ids["reading"]
    existing = gloss_json("highlight", article, "goes on for a while", "--note", "kept", store=library.store)
    open_reader(browser, library)
    click_mark(browser, existing["id"])
    area = editor(browser).find_element("css selector", "textarea[name=note]")
    area.clear()
    area.send_keys("a draft being written")

    added = gloss_json("highlight", article, "A last paragraph", store=library.store)
    time.sleep(5)  # two and a half polls of /api/v1/version
    browser.shot("editor-during-live-change")
    dialog = editor(browser)
    assert dialog.find_element("css selector", "textarea[name=note]").get_attribute("value") == "a draft being written"

    ActionChains(browser.driver).send_keys(Keys.ESCAPE).perform()
    browser.wait_gone("#annotation-editor")
    browser.wait(lambda _: any(same_id(i, added["id"]) for i in mark_ids(browser)),
                 "the highlight made from the CLI to be drawn", seconds=15)
    browser.shot("live-change-drawn")


def test_the_h_key_highlights_the_selection_and_n_opens_the_editor_on_it(library, browser):
    open_reader(browser, library)
    text = library.text("reading")
    start, end = offsets(text, ("one item", "a list"))
    before = mark_ids(browser)
    browser.select(start, end)
    browser.wait_for("#selection-toolbar")
    ActionChains(browser.driver).send_keys("h").perform()
    annotation_id = new_highlight(browser, before)
    check_anchor(stored(library, annotation_id), text, start, end)

    start, end = offsets(text, ("A heading", "in between"))
    before = mark_ids(browser)
    browser.select(start, end)
    browser.wait_for("#selection-toolbar")
    ActionChains(browser.driver).send_keys("n").perform()
    save_editor(browser, note="From the keyboard")
    annotation_id = new_highlight(browser, before)
    annotation = stored(library, annotation_id, lambda a: a.get("note") == "From the keyboard", "the note")
    check_anchor(annotation, text, start, end)


def test_a_highlight_whose_passage_left_the_text_is_listed_as_an_orphan(library, browser, tmp_path):
    first = tmp_path / "orphan.md"
    first.write_text("# An article that changes\n\nIts first version has a doomed sentence in it. "
                     "The rest of the text stays the same through both versions.\n")
    article = add_article(library.store, first)
    orphan = gloss_json("highlight", article, "a doomed sentence", store=library.store)["id"]
    second = tmp_path / "orphan-v2.md"
    second.write_text("# An article that changes\n\nIts second version has lost it. "
                      "The rest of the text stays the same through both versions.\n")
    gloss_json("add", second, "--replace", article, store=library.store)

    browser.visit("/articles/" + article)
    items = browser.wait(lambda _: [li for li in browser.all("#orphans li[data-id]")
                                    if same_id(li.get_attribute("data-id"), orphan)], "the orphan listed")
    assert "a doomed sentence" in items[0].text
    assert not any(same_id(i, orphan) for i in mark_ids(browser))
    browser.shot("orphans")
