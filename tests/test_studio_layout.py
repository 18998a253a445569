"""The studio's page on ordinary windows, in real Chromium: the book's text is what the page opens on."""

from __future__ import annotations

import pytest

# The fixtures browser, book and studio come from studio_util.
from studio_util import ARGS, Tab, book, studio  # noqa: F401

pytestmark = pytest.mark.slow  # a browser and a server


def _in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] and box["x"] + box["width"] <= size["width"]


@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
def test_on_a_laptop_window_the_first_sentence_is_in_view_with_the_panels_beside_it(browser, studio, size):
    tab = Tab(browser, studio, size)
    page = tab.page
    assert page.evaluate("window.scrollY") == 0
    assert _in_view(page, ".s"), page.locator(".s").first.bounding_box()
    # The panels are at the side, open, and in view too: a word's pronunciation, the review, the voice.
    for selector in ("#word", "#review", "#voices"):
        assert _in_view(page, selector), selector
    assert page.locator("#word").bounding_box()["x"] > page.locator(".s").first.bounding_box()["x"] + 400
    tab.close()


def test_on_a_narrow_window_the_panels_fold_above_the_text_and_open_on_a_click(browser, studio):
    tab = Tab(browser, studio, (700, 700))
    page = tab.page
    assert _in_view(page, ".s")
    assert not page.locator("#word").is_visible()
    page.get_by_text("Pronunciation", exact=True).click()
    assert page.locator("#word").is_visible()
    page.locator(".panel > summary", has_text="Review").focus()  # the keyboard opens a panel too
    page.keyboard.press("Enter")
    assert page.locator("#review").is_visible()
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install '.[test]' (axe-playwright-python)")
    assert [v["id"] for v in axe.Axe().run(page).response["violations"]] == []
    tab.close()
