"""The reading pages in Debian's Chromium, driven by Playwright: what a person
sees on a laptop and on a phone. Skipped, with the reason, where Chromium is
not installed (`make test` installs it where it can)."""

import os
import re

import pytest

from tests.browser import CHROMIUM, DESKTOP, PHONE, seed_live

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


@pytest.fixture
def site(transactional_db, search_index, live_server):
    seed_live()
    return live_server.url


def test_home_lists_the_three_seed_interviews(page, site):
    page.goto(site)
    titles = page.locator(".item h3").all_inner_texts()
    assert len(titles) == 3 and any("Sora" in title for title in titles)
    assert page.locator("input[type=search]").first.is_visible()


def test_interview_columns_are_aligned_turn_by_turn_with_their_language(page, site):
    page.goto(site)
    page.locator(".item h3 a", has_text="王堅").click()
    turn = page.locator(".turn.answer").nth(2)
    hans, hant = turn.locator(".rendering.hans"), turn.locator(".rendering.hant")
    assert hans.get_attribute("lang") == "zh-Hans" and hant.get_attribute("lang") == "zh-Hant"
    left, right = hans.bounding_box(), hant.bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 1
    assert hant.locator(".original-badge").is_visible() and hans.locator(".changed").count() > 0


def test_one_column_view_is_chosen_and_remembered(page, site):
    page.goto(site)
    page.locator(".item h3 a").first.click()
    page.get_by_role("button", name="只看繁体").click()
    assert not page.locator(".turn .rendering.hans").first.is_visible()
    assert page.locator(".turn .rendering.hant").first.is_visible()
    page.reload()
    assert page.get_by_role("button", name="只看繁体").get_attribute("aria-pressed") == "true"
    assert not page.locator(".turn .rendering.hans").first.is_visible()
    page.get_by_role("button", name="简繁对照").click()
    assert page.locator(".turn .rendering.hans").first.is_visible()


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_search_result_lands_on_the_highlighted_turn(page, site):
    page.goto(site)
    page.locator("#q-home").fill("鸡蛋")
    page.locator("#q-home").press("Enter")
    page.locator(".hit .snippet a").first.click()
    page.wait_for_load_state()
    assert re.search(r"/14/\?q=.*#t14-p9$", page.url)  # the ninth paragraph of a long answer
    target = page.locator("#t14")
    assert target.locator("mark").first.is_visible()
    assert {text for text in target.locator("mark").all_inner_texts()} >= {"鸡蛋", "雞蛋"}
    assert in_view(page, target.locator("mark").first)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_result_opens_at_the_matched_paragraph_with_the_mark_in_view(browser, site, size):
    context = browser.new_context(**(PHONE if size == "phone" else DESKTOP))
    page = context.new_page()
    page.goto(f"{site}/search/?q=鸡蛋")
    page.locator(".hit .snippet a").first.click()
    page.wait_for_load_state()
    marks = page.locator("#t14 mark")
    assert any(in_view(page, marks.nth(i)) for i in range(marks.count()))
    context.close()


def test_the_apis_url_opens_the_turn_at_the_matched_paragraph_too(page, site):
    url = page.request.get(f"{site}/api/search/?q=鸡蛋").json()["results"][0]["url"]
    page.goto(url)
    assert in_view(page, page.locator("#t14 mark").first)


def test_a_phone_stacks_the_renderings_within_each_turn(browser, site):
    phone = browser.new_page(**PHONE)
    phone.goto(site)
    phone.locator(".item h3 a").first.click()
    turn = phone.locator(".turn.answer").first
    hans, hant = turn.locator(".rendering.hans").bounding_box(), turn.locator(".rendering.hant").bounding_box()
    assert hant["y"] >= hans["y"] + hans["height"] - 1
    assert hans["width"] > PHONE["viewport"]["width"] * 0.8
    phone.close()


def test_copy_citation_puts_the_quote_and_permalink_on_the_clipboard(browser, site):
    context = browser.new_context(**DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site)
    page.locator(".item h3 a").first.click()
    page.locator(".turn.answer button.cite").first.click()
    page.get_by_role("status").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "——" in copied and re.search(r"/interviews/[\w-]+/\d+/#t\d+（访问于 \d{4}-\d\d-\d\d）$", copied)
    assert re.search(r"第 \d+ 段", copied)  # the turn's number
    context.close()


def test_an_editor_uploads_a_gb18030_transcript_and_its_quote_is_found_in_the_other_script(page, transactional_db, search_index, live_server):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.com", "correct horse")
    transcript = "问：你觉得Sora意味着什么？\n答：它让我们重新理解世界模型，鸡蛋碰石头也得碰。\n问：差距有多大？\n答：承认差距并不丢人。\n"
    page.goto(f"{live_server.url}/admin/interviews/article/upload/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse")
    page.locator("input[type=submit]").click()
    page.set_input_files("#id_files", files=[{"name": "sora.txt", "mimeType": "text/plain", "buffer": transcript.encode("gb18030")}])
    page.fill("#id_title", "李某某谈Sora")
    page.locator("input[type=submit]").click()
    assert "gb18030" in page.locator("#content").inner_text()
    page.get_by_label("答").fill("李某某")
    page.locator("input[name=confirm]").click()
    assert "/change/" in page.url
    page.goto(f"{live_server.url}/search/?q=雞蛋碰石頭")
    hit = page.locator(".hit").first
    assert "李某某" in hit.inner_text() and hit.locator("mark").count() >= 1


def test_no_page_breaks_the_content_security_policy(page, site):
    """Every page, the admin's included, runs with script-src 'self' and no
    inline script or style: Chromium reports each violation on the console."""
    from django.contrib.auth.models import User

    from archive.interviews.models import Article

    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    User.objects.create_superuser("editor", "editor@example.com", "correct horse")
    article = Article.objects.first()
    for path in ("/", article.get_absolute_url(), "/search/?q=鸡蛋", article.outlet.get_absolute_url()):
        page.goto(site + path)
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse")
    page.locator("input[type=submit]").click()
    for path in ("/admin/", "/admin/interviews/article/", f"/admin/interviews/article/{article.pk}/change/",
                 "/admin/interviews/article/upload/", "/admin/interviews/speaker/"):
        page.goto(site + path)
        assert page.locator("#content").is_visible()
    assert violations == []
