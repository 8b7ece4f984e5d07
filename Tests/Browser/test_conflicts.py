"""A conflict made by two replicas syncing through a folder, resolved on the Conflicts page (once by
keeping a value, once by a merged text), as `gloss resolve` would."""

import pytest

from conftest import FIXTURES, Server, add_article, annotations, gloss, gloss_json, same_id


@pytest.fixture
def replicas(tmp_path):
    """Stores A and B that share an article and two highlights, each of whose note was then edited
    differently on each side and synced: two note conflicts. Yields (A, B, server on A)."""
    a, b, folder = tmp_path / "A", tmp_path / "B", tmp_path / "shared-folder"
    article = add_article(a, FIXTURES / "reading.md")
    first = gloss_json("highlight", article, "then words that follow it", "--note", "base one", store=a)["id"]
    second = gloss_json("highlight", article, "goes on for a while", "--note", "base two", store=a)["id"]
    gloss("sync", folder, store=a)
    gloss("sync", folder, store=b)
    for annotation, side in ((first, "one"), (second, "two")):
        gloss("edit", annotation, "--note", f"{side} from A", store=a)
        gloss("edit", annotation, "--note", f"{side} from B", store=b)
    gloss("sync", folder, store=a)
    gloss("sync", folder, store=b)
    gloss("sync", folder, store=a)
    conflicts = gloss_json("conflicts", store=a)
    assert len(conflicts) == 2, conflicts
    token = gloss_json("token", "create", "--name", "browser", store=a)["token"]
    server = Server(a, "replica-A")
    yield {"store": a, "first": first, "second": second, "conflicts": conflicts, "token": token,
           "server": server}
    server.stop()


def conflict_element(browser, entity, field):
    for element in browser.all(f".conflict[data-field={field}]"):
        if same_id(element.get_attribute("data-entity"), entity):
            return element
    raise AssertionError(f"no .conflict for {entity} {field}")


def test_resolve_two_note_conflicts_on_the_conflicts_page(replicas, make_browser):
    browser = make_browser(replicas["server"])
    browser.sign_in(replicas["token"])
    browser.visit("/conflicts")
    browser.wait_for(".conflict[data-entity]")
    assert len(browser.all(".conflict[data-entity]")) == 2

    first, second = replicas["first"], replicas["second"]
    for entity in (first, second):
        element = conflict_element(browser, entity, "note")
        shown = element.text
        side = "one" if entity == first else "two"
        assert f"{side} from A" in shown and f"{side} from B" in shown, shown

    # Keep B's value of the first, numbered as `gloss conflicts` numbers the siblings.
    listed = next(c for c in replicas["conflicts"] if same_id(c["entityID"], first))
    index = 1 + [s["value"] for s in listed["siblings"]].index("one from B")
    conflict_element(browser, first, "note").find_element(
        "css selector", f"button[data-action=keep][data-index='{index}']").click()
    browser.wait(lambda _: not any(same_id(e.get_attribute("data-entity"), first)
                                   for e in browser.all(".conflict[data-entity]")), "the first conflict to go")
    browser.shot("kept-one")

    # Merge the second by hand.
    merged = "two from A, and two from B — merged"
    element = conflict_element(browser, second, "note")
    area = element.find_element("css selector", "textarea[name=merged]")
    area.clear()
    area.send_keys(merged)
    element.find_element("css selector", "button[data-action=save-merged]").click()
    browser.wait_for("#no-conflicts")
    browser.shot("no-conflicts")

    store = replicas["store"]
    assert gloss_json("conflicts", store=store) == []
    notes = {key: a.get("note") for key, a in annotations(store).items()}
    assert notes[next(k for k in notes if same_id(k, first))] == "one from B"
    assert notes[next(k for k in notes if same_id(k, second))] == merged

    browser.driver.refresh()
    browser.wait_ready()
    browser.wait_for("#no-conflicts")
