"""An editor's upload in Debian's Chromium, driven by Playwright: a Word file
and a web address go through the admin's upload, its preview and confirm, and
their interview pages show each turn's time, linked to the recording.
Skipped, with the reason, where Chromium is not installed."""

import os

import pytest

from tests.browser import CHROMIUM
from tests.ingest_samples import serve, word_recording

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

RECORDING = "https://www.youtube.com/watch?v=battery42"
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta property="og:title" content="储能播客第七期：电芯的账">
<meta property="og:site_name" content="储能播客"></head>
<body><nav>首页 · 节目 · 关于</nav><article><h1>储能播客第七期：电芯的账</h1>
<p>[00:00:04] 庞雪：欢迎收听。今天请到电芯工程师柯一，聊聊电芯为什么这么贵。</p>
<p>[00:00:15] 柯一：谢谢邀请。贵在材料，也贵在良率。</p>
<p>[00:01:02] 庞雪：良率能提到多少？</p>
<p>[00:01:09] 柯一：明年能到九成五。</p>
</article><footer>© 储能播客</footer></body></html>"""


@pytest.fixture
def editor(page, transactional_db, search_index, live_server):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.com", "correct horse")
    page.goto(f"{live_server.url}/admin/interviews/article/upload/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse")
    page.locator("input[type=submit]").click()
    return page


@pytest.fixture
def podcast_site():
    """A web server on loopback serving one transcript page."""
    with serve({"/ep7": (200, "text/html; charset=utf-8", PAGE.encode())}) as address:
        yield address


def confirm_and_open_the_interview(page):
    """Confirm the preview, then follow the admin's link to the public page."""
    page.locator("input[name=confirm]").click()
    assert "/change/" in page.url
    page.locator("a.viewsitelink").click()
    page.wait_for_load_state()


def test_an_editor_uploads_a_word_file_and_its_turns_show_their_times_linked_to_the_recording(editor):
    page = editor
    page.set_input_files("#id_files", files=[{
        "name": "keyi.docx", "buffer": word_recording(),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    page.fill("#id_media_url", RECORDING)
    page.locator("input[type=submit]").click()
    preview = page.locator("#content")
    assert "docx" in preview.inner_text() and page.locator("#id_title").input_value() == "专访柯一：电芯的良率"
    assert page.locator(".preview-turns tbody tr").count() == 4
    assert page.locator(".preview-turns tbody tr").nth(1).locator("td").nth(2).inner_text() == "0:12"
    confirm_and_open_the_interview(page)
    times = page.locator(".turn a.time time")
    assert times.all_inner_texts()[:4] == ["0:05", "0:12", "1:30", "1:41"]
    assert page.locator(".turn a.time").nth(2).get_attribute("href") == f"{RECORDING}&t=90"
    assert page.locator("h1").first.inner_text() == "专访柯一：电芯的良率"


def test_an_editor_imports_a_web_address_and_its_turns_show_their_times(editor, podcast_site, settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True  # the page is served on loopback
    page = editor
    page.fill("#id_urls", f"{podcast_site}/ep7")
    page.locator("input[type=submit]").click()
    assert page.locator("#id_title").input_value() == "储能播客第七期：电芯的账"
    assert page.locator("#id_source_url").input_value() == f"{podcast_site}/ep7"
    assert page.locator("#id_outlet").input_value() == "储能播客"
    rows = page.locator(".preview-turns tbody tr")
    assert rows.count() == 4 and "首页" not in page.locator(".preview-turns").inner_text()
    confirm_and_open_the_interview(page)
    assert page.locator(".turn time").all_inner_texts()[:4] == ["0:04", "0:15", "1:02", "1:09"]
    assert "柯一" in page.locator(".turn").nth(1).inner_text()


def test_on_a_phone_the_preview_reflows_instead_of_scrolling_sideways(browser, transactional_db, search_index, live_server):
    from django.contrib.auth.models import User

    from tests.browser import PHONE

    User.objects.create_superuser("editor", "editor@example.com", "correct horse")
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/interviews/article/upload/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse")
    page.locator("input[type=submit]").click()
    page.set_input_files("#id_files", files=[{"name": "keyi.docx", "mimeType": "application/octet-stream", "buffer": word_recording()}])
    page.locator("input[type=submit]").click()
    width = page.viewport_size["width"]
    for table in (".preview-turns", ".preview-speakers"):
        box = page.locator(table).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, table
    text = page.locator(".preview-turns td.text").nth(1)
    box = text.bounding_box()
    assert box["x"] + box["width"] <= width and text.is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    context.close()
