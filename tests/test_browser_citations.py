"""Citations that never break, in Chromium, as a new user would try it:
import an interview, cite three turns, edit one in the admin, re-import a
corrected source with a new question near the top (the preview asks about
the edited turn) — all three citations lead to their words, the edit is
still there, and the article's history shows each step."""

import os
import re

import pytest

from tests.browser import CHROMIUM, DESKTOP
from tests.transcripts import ANSWERS, corrected_with_new_question_at_top, interview, transcript

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

EDITED = ANSWERS[3].replace("三年", "五年")  # the editor's correction of the fourth answer


def sign_in(page, site: str, then: str) -> None:
    page.goto(f"{site}/admin/login/?next={then}")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse")
    page.locator("input[type=submit]").click()


def upload(page, site: str, data: bytes) -> None:
    page.goto(f"{site}/admin/interviews/article/upload/")
    page.set_input_files("#id_files", files=[{"name": "robots.md", "mimeType": "text/markdown", "buffer": data}])
    page.locator("input[type=submit]").click()


def test_citations_survive_an_edit_and_a_corrected_reimport(browser, transactional_db, search_index, live_server):
    from django.contrib.auth.models import User

    from archive.interviews.models import Turn

    User.objects.create_superuser("editor", "editor@example.com", "correct horse")
    site = live_server.url
    context = browser.new_context(**DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()

    # 1. An editor imports the interview.
    sign_in(page, site, "/admin/")
    upload(page, site, transcript(interview()))
    page.locator("input[name=confirm]").click()
    assert "/change/" in page.url

    # 2. A reader cites three answers with "copy citation".
    page.goto(f"{site}/")
    page.locator(".item h3 a").first.click()
    citations = []
    for index in (0, 1, 3):
        page.locator(".turn.answer button.cite").nth(index).click()
        copied = page.evaluate("navigator.clipboard.readText()")
        citations.append((re.search(r"https?://\S+?#t\d+", copied).group(), ANSWERS[index]))
    assert all(re.search(r"/t/\d+/#t\d+$", url) for url, _ in citations)

    # 3. The editor corrects the fourth answer in the admin.
    page.goto(f"{site}/admin/interviews/article/")
    page.locator("#result_list tbody th a").first.click()
    box = page.locator("textarea[name$='-text']").filter(has_text="一台机器人要在工厂里干满三年")
    box.fill(EDITED)
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/interviews/article/")
    assert Turn.objects.get(text=EDITED).edits == {"text": ANSWERS[3]}

    # 4. A corrected source arrives: a new question near the top, and "回本" fixed in the edited answer too.
    upload(page, site, transcript(corrected_with_new_question_at_top(interview())))
    conflicts = page.locator("#conflicts")
    assert conflicts.is_visible() and "五年" in conflicts.inner_text() and "收回成本" in conflicts.inner_text()
    assert conflicts.locator("input[type=radio][value=editor]").is_checked()  # the editor's version unless they choose
    page.locator("input[name=confirm]").click()
    assert "/change/" in page.url

    # 5. Every citation leads to its words; the edited one to the editor's.
    expected = [citations[0][1], citations[1][1], EDITED]
    for (url, _), words in zip(citations, expected):
        page.goto(url)
        target = page.locator(".turn.target")
        assert target.count() == 1 and words[:20] in target.locator(".rendering.hans").inner_text()
        assert 0 <= target.bounding_box()["y"] < page.viewport_size["height"]

    # 6. The history shows each step: the import, the edit, the re-import.
    page.goto(f"{site}/admin/interviews/article/")
    page.locator("#result_list tbody th a").first.click()
    page.locator("a.historylink").click()
    steps = page.locator(".version-description").all_inner_texts()
    assert len(steps) == 3
    assert "robots.md" in steps[2] and "robots.md" in steps[0] and ("编辑" in steps[1] or "Edited" in steps[1])
    page.locator("input[type=submit]").click()  # compare the two newest
    assert page.locator(".diff ins, .diff del").count() > 0
    context.close()
