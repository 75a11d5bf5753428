"""The reading pages in Debian's Chromium, driven by Playwright: what a person
sees on a laptop and on a phone. Skipped, with the reason, where Chromium is
not installed (`make test` installs it where it can)."""

import os
import re

import pytest
from playwright.sync_api import expect

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


def egg() -> str:
    """The anchor of the answer that says 雞蛋 (its permanent number)."""
    from archive.interviews.models import Turn

    return f"#{Turn.objects.get(text__contains='雞蛋').anchor}"


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_search_result_lands_on_the_highlighted_turn(page, site):
    page.goto(site)
    page.locator("#q-home").fill("鸡蛋")
    page.locator("#q-home").press("Enter")
    page.locator(".hit .snippet a").first.click()
    page.wait_for_load_state()
    match = re.search(r"/t/(\d+)/\?q=.*#t(\d+)-p9$", page.url)  # the ninth paragraph of a long answer
    assert match and match.group(1) == match.group(2)
    target = page.locator(f"#t{match.group(1)}")
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
    marks = page.locator(f"{egg()} mark")
    assert any(in_view(page, marks.nth(i)) for i in range(marks.count()))
    context.close()


def test_the_apis_url_opens_the_turn_at_the_matched_paragraph_too(page, site):
    url = page.request.get(f"{site}/api/search/?q=鸡蛋").json()["results"][0]["url"]
    page.goto(url)
    assert in_view(page, page.locator(f"{egg()} mark").first)


def test_a_reader_without_a_chinese_keyboard_finds_a_quote_by_pinyin_and_lands_on_it(page, site):
    page.goto(site)
    page.locator("#q-home").fill("ji dan")
    page.locator("#q-home").press("Enter")
    assert "“ji dan”也按拼音查找：鸡蛋。" in page.locator(".reading").first.inner_text()
    assert page.locator(".hit .snippet mark").first.inner_text() == "雞蛋"
    page.locator(".hit .snippet a").first.click()
    page.wait_for_load_state()
    assert {text for text in page.locator(f"{egg()} mark").all_inner_texts()} >= {"鸡蛋", "雞蛋"}


def test_a_misremembered_quote_shows_its_closest_matches_set_apart(page, site):
    page.goto(f"{site}/search/?q=大模型的红利期已经过去了")
    assert page.locator("h1").inner_text().startswith("没有找到")
    closest = page.locator(".closest")
    assert closest.locator("h2").inner_text() == "最接近的结果" and closest.locator(".hit").count() >= 2
    assert {"大模型", "红利期"} <= set(closest.locator(".hit").first.locator("mark").all_inner_texts())


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
    assert "——" in copied and re.search(r"/t/\d+/#t\d+（访问于 \d{4}-\d\d-\d\d）$", copied)
    assert re.search(r"段落 t\d+（访问时为第 \d+ 段）", copied)  # the turn's permanent number, and where it stands now
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
    for path in ("/", article.get_absolute_url(), "/search/?q=鸡蛋", article.outlet.get_absolute_url(), "/search/?q=",
                 "/search/?q=算力&view=grouped", "/search/?q=算力&view=context", "/speakers/zhou-hong-yi/", "/search/?q=鸡蛋&page=2"):
        page.goto(site + path)
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse")
    page.locator("input[type=submit]").click()
    for path in ("/admin/", "/admin/interviews/article/", f"/admin/interviews/article/{article.pk}/change/",
                 "/admin/interviews/article/upload/", "/admin/interviews/speaker/"):
        page.goto(site + path)
        assert page.locator("#content").is_visible()
    page.goto(f"{site}/admin/interviews/article/upload/")  # the upload preview, and a re-upload's diff
    again = bytes(Article.objects.get(slug__startswith="zhui-gan").source).replace("英伟达".encode(), "英伟达公司".encode())
    page.set_input_files("#id_files", files=[{"name": "again.txt", "mimeType": "text/plain", "buffer": again}])
    page.locator("input[type=submit]").click()
    assert page.locator(".change-turns ins").first.is_visible()
    # Playwright's expect waits for the stylesheet (served by the test server, slow under load) to apply.
    expect(page.locator(".change-turns ins").first).to_have_css("background-color", "rgb(220, 245, 220)")
    assert violations == []


def test_filters_stay_through_a_new_query_until_their_chip_is_removed(page, site):
    page.goto(f"{site}/search/?q=算力")
    page.get_by_label("人物").select_option(label="王堅 (4)")
    page.get_by_label("只看回答").check()
    page.get_by_role("button", name="应用").click()
    chips = page.locator(".chip")
    assert chips.all_inner_texts() == ["人物: 王堅 ×", "类型: 回答 ×"]
    page.locator("header.site input[name=q]").fill("商业化")
    page.locator("header.site input[name=q]").press("Enter")
    page.wait_for_load_state()
    assert "q=商业化" in page.url or "q=%E5%95%86" in page.url
    assert page.locator(".chip").all_inner_texts() == ["人物: 王堅 ×", "类型: 回答 ×"]
    assert all("王堅" in text for text in page.locator(".hit .hit-meta").all_inner_texts())
    page.locator(".chip", has_text="人物").click()
    assert page.locator(".chip").all_inner_texts() == ["类型: 回答 ×"]


def test_dates_and_order_are_chosen_on_the_page(page, site):
    page.goto(f"{site}/search/?q=算力")
    page.get_by_label("起").fill("2024-03-01")
    page.get_by_label("排序").select_option("oldest")
    page.get_by_role("button", name="应用").click()
    assert "起: 2024-03-01" in page.locator(".filters").inner_text()
    assert set(page.locator(".hit .hit-meta").all_inner_texts()) and all("2024-03-12" in t for t in page.locator(".hit .hit-meta").all_inner_texts())
    page.goto(f"{site}/search/?q=算力")
    page.get_by_label("只看日期不详的").check()
    page.get_by_role("button", name="应用").click()
    assert "日期: 日期不详" in page.locator(".filters").inner_text() and page.locator(".hit").count() == 1


def test_results_switch_between_list_interviews_and_concordance(page, site):
    page.goto(f"{site}/search/?q=算力")
    page.get_by_role("link", name="按访谈").click()
    groups = page.locator(".group")
    assert groups.count() == 3 and "处命中" in groups.first.inner_text()
    more = page.locator(".more-hits").first
    hidden = more.locator(".hit").first
    assert not hidden.is_visible()
    more.locator("summary").click()
    assert hidden.is_visible()
    page.get_by_role("link", name="语境索引").click()
    marks = page.locator(".concordance mark")
    assert marks.count() == 12
    lefts = {round(marks.nth(i).bounding_box()["x"]) for i in range(marks.count())}
    assert len(lefts) == 1  # aligned on the match
    assert page.locator(".concordance a").first.get_attribute("href").count("#t") == 1


def test_a_timeline_bar_narrows_to_its_month(page, site):
    page.goto(f"{site}/search/?q=算力")
    bars = page.locator(".timeline a")
    assert bars.count() == 2
    bars.last.click()
    assert "2024-03-01" in page.locator(".filters").inner_text() and "2024-03-31" in page.locator(".filters").inner_text()


def test_the_whole_result_set_downloads_as_csv(page, site):
    page.goto(f"{site}/search/?q=算力&page_size=5")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    import csv

    with open(download.value.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0][:2] == ["article", "article_title"] and len(rows) == 1 + 12  # every hit, not the page's five


def test_a_turn_is_cited_from_its_menu(page, site):
    page.goto(site)
    page.locator(".item h3 a").first.click()
    menu = page.locator(".turn.answer .cite-menu").first
    menu.locator("summary").click()
    href = menu.get_by_role("link", name="BibTeX").get_attribute("href")
    body = page.request.get(site + href).text()
    assert body.startswith("@misc{") and "urldate" in body


def test_the_contents_lead_to_each_heading(page, site):
    page.goto(f"{site}/interviews/zhui-gan-sora-nan-zai-suan-li-huo-zai-xian-bai-mo/")
    links = page.locator(".contents a")
    assert links.count() >= 2
    links.nth(1).click()
    target = page.locator(links.nth(1).get_attribute("href"))
    box = target.bounding_box()
    assert 0 <= box["y"] < 200


def test_an_interview_searches_within_itself(page, site):
    page.goto(f"{site}/interviews/a-li-yun-chuang-shi-ren-wang-jian-sora-de-yi-yi-bu/")
    page.get_by_label("在这篇访谈里搜索").fill("算力")
    page.get_by_label("在这篇访谈里搜索").press("Enter")
    page.wait_for_load_state()
    assert "访谈: 阿里云創始人王堅" in page.locator(".filters").inner_text()
    assert page.locator(".hit").count() == 6


def test_on_a_phone_the_filters_are_first_and_folded(browser, site):
    phone = browser.new_page(**PHONE)
    phone.goto(f"{site}/search/?q=算力")
    refine, results = phone.locator(".refine").bounding_box(), phone.locator(".results").bounding_box()
    assert refine["y"] < results["y"] and refine["height"] < 80
    assert not phone.get_by_label("排序").is_visible()
    phone.locator(".refine summary").click()
    assert phone.get_by_label("排序").is_visible()
    phone.close()


def test_an_empty_search_explains_the_syntax(page, site):
    page.goto(f"{site}/search/?q=")
    assert page.get_by_role("heading", name="如何搜索").is_visible()
    assert page.locator("#q-home").is_visible()



def test_the_mark_is_brought_into_view_when_the_published_column_is_hidden(page, site):
    page.goto(f"{site}/search/?q=鸡蛋")
    page.locator(".hit .snippet a").first.click()
    page.get_by_role("button", name="只看简体").click()  # the interview was published in Traditional
    page.goto(f"{site}/")
    page.goto(page.request.get(f"{site}/api/search/?q=鸡蛋").json()["results"][0]["url"])
    assert not page.locator(f"{egg()}-p9").is_visible()
    visible = page.locator(f'{egg()} .rendering.hans [data-paragraph="9"] mark').first
    assert in_view(page, visible)


def test_a_speaker_beyond_the_list_is_typed_with_suggestions(page, site, monkeypatch):
    from archive.search import views

    monkeypatch.setattr(views, "FACET_SHOWN", 1)  # the seeds' few speakers stand for a common word's hundreds
    page.goto(f"{site}/search/?q=算力")
    box = page.get_by_label("或其他人物")
    suggested = page.locator("#refine-speaker-names option").evaluate_all("options => options.map(o => o.value)")
    assert "王堅" in suggested or "周鸿祎" in suggested
    name = "王堅" if "王堅" in suggested else "周鸿祎"
    box.fill(name)
    page.get_by_role("button", name="应用").click()
    assert page.locator(".chip").all_inner_texts() == [f"人物: {name} ×"] and "speaker=" in page.url
    assert all(name in text for text in page.locator(".hit .hit-meta").all_inner_texts())
