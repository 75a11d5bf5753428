"""Screenshots of the reading pages at desktop and phone widths, and of the
admin's upload, preview and history pages, for docs/screenshots/.

Run by `make screenshots` in a scratch data directory with the seeds
loaded: starts the development server, drives Debian's Chromium through
Playwright, and writes one PNG per page and screen size.
"""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.browser import ARGS, CHROMIUM, DESKTOP, PHONE  # noqa: E402
from tests.transcripts import ANSWERS, corrected_with_new_question_at_top, interview, transcript  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PORT = os.environ.get("SCREENSHOT_PORT", "8765")
BASE = f"http://127.0.0.1:{PORT}"
ONLY = os.environ.get("SCREENSHOTS", "").split()  # e.g. SCREENSHOTS="preview ingest": only those sets
PAGES = {
    "home": "/",
    "interview": "/interviews/a-li-yun-chuang-shi-ren-wang-jian-sora-de-yi-yi-bu/",
    "interview-contents": "/interviews/zhui-gan-sora-nan-zai-suan-li-huo-zai-xian-bai-mo/",
    "turn-from-search": None,  # the first hit for 鸡蛋, as the search API links it (a turn's permanent number)
    "speaker": "/speakers/zhou-hong-yi/",
    "outlet": "/outlets/nan-fang-du-shi-bao/",
    "search": "/search/?q=%E5%BC%80%E6%BA%90",
    "search-filtered": "/search/?q=%E7%AE%97%E5%8A%9B&speaker=wang-jian&kind=answer&sort=newest",
    "search-grouped": "/search/?q=%E7%AE%97%E5%8A%9B&view=grouped",
    "search-concordance": "/search/?q=%E7%AE%97%E5%8A%9B&view=context",
    "search-help": "/search/?q=",
    "search-error": "/search/?q=%E9%B8%A1%E8%9B%8B&page=2",
    # Issue 13's ways of finding a quote: pinyin, a misremembered quote, Taiwan wording.
    "search-pinyin": "/search/?q=b%C7%8Eim%C3%B3+d%C3%A0zh%C3%A0n",  # bǎimó dàzhàn
    "search-near-quote": "/search/?q=%E5%A4%A7%E6%A8%A1%E5%9E%8B%E7%9A%84%E7%BA%A2%E5%88%A9%E6%9C%9F%E5%B7%B2%E7%BB%8F%E8%BF%87%E5%8E%BB%E4%BA%86",  # 大模型的红利期已经过去了
    "search-taiwan-vocabulary": "/search/?q=%E8%BC%9D%E9%81%94+%E6%99%B6%E7%89%87",  # 輝達 晶片
}
# Every page in Simplified Chinese; these also in Traditional Chinese and English.
OTHER_LANGUAGES = {"zh-TW": "hant", "en-US": "en"}
TRANSLATED = ("interview", "search", "search-grouped", "search-concordance", "search-help", "search-pinyin", "search-near-quote", "search-taiwan-vocabulary")
PARTIAL = ("turn-from-search", "interview", "interview-contents")  # the first screen, as a reader lands on it


def wait_for_server() -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"the development server did not answer on {BASE}")


GOOD = "问：你觉得Sora意味着什么？\n答：它让我们重新理解世界模型，鸡蛋碰石头也得碰。\n问：差距有多大？\n答：承认差距并不丢人。\n"


def signed_in(browser, options: dict):
    """A browser context and page signed in as the editor, on the upload form."""
    context = browser.new_context(**options)
    page = context.new_page()
    page.goto(BASE + "/admin/interviews/article/upload/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", os.environ["DJANGO_SUPERUSER_PASSWORD"])
    page.locator("input[type=submit]").click()
    return context, page


def admin_pages(browser) -> None:
    """The upload form, a preview, and a batch with bad files (make screenshots creates the editor)."""
    context, page = signed_in(browser, DESKTOP)
    page.screenshot(path=str(OUT / "admin-upload-desktop.png"), full_page=True)
    page.set_input_files("#id_files", files=[
        {"name": "empty.txt", "mimeType": "text/plain", "buffer": b""},
        {"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"},
        {"name": "latin1.txt", "mimeType": "text/plain", "buffer": "caf\xe9 ".encode("latin-1") * 40 + b"\xff\xfe\x00"},
        {"name": "sora.txt", "mimeType": "text/plain", "buffer": GOOD.encode("gb18030")},
    ])
    page.locator("input[type=submit]").click()
    page.screenshot(path=str(OUT / "admin-upload-errors-desktop.png"), full_page=True)
    page.set_input_files("#id_files", files=[{"name": "sora.txt", "mimeType": "text/plain", "buffer": GOOD.encode("gb18030")}])
    page.fill("#id_title", "李某某谈Sora")
    page.locator("input[type=submit]").click()
    page.get_by_label("答").fill("李某某")
    page.screenshot(path=str(OUT / "admin-preview-desktop.png"), full_page=True)
    for name in ("admin-upload", "admin-upload-errors", "admin-preview"):
        print(f"docs/screenshots/{name}-desktop.png")
    context.close()


def ingest_pages(browser) -> None:
    """The preview of a Word file, a WeChat page, subtitles and a web address,
    and an interview with time codes, at both widths (issue 12)."""
    from tests.ingest_samples import SRT, WECHAT_PAGE, serve, word_file

    uploads = {
        "docx": {"name": "zhao.docx", "mimeType": "application/octet-stream", "buffer": word_file()},
        "html": {"name": "lihang-wechat.html", "mimeType": "text/html", "buffer": WECHAT_PAGE.encode()},
        "srt": {"name": "robot-talk.srt", "mimeType": "text/plain", "buffer": SRT.encode()},
    }
    with serve({"/s/lihang": (200, "text/html; charset=utf-8", WECHAT_PAGE.encode())}) as pages:
        for size, options in (("desktop", DESKTOP), ("phone", PHONE)):
            context, page = signed_in(browser, options)
            for name, upload in uploads.items():
                page.goto(BASE + "/admin/interviews/article/upload/")
                page.set_input_files("#id_files", files=[upload])
                if name == "srt":
                    page.fill("#id_media_url", "https://www.bilibili.com/video/BV1Robot")
                page.locator("input[type=submit]").click()
                _shoot(page, f"admin-preview-{name}-{size}")
                if name == "srt" and size == "desktop":
                    page.locator("input[name=confirm]").click()
            page.goto(BASE + "/admin/interviews/article/upload/")
            page.fill("#id_urls", f"{pages}/s/lihang")
            page.locator("input[type=submit]").click()
            _shoot(page, f"admin-preview-url-{size}")
            page.goto(BASE + "/interviews/robot-talk/")
            _shoot(page, f"interview-time-codes-{size}")
            context.close()


def preview_pages(browser) -> None:
    """The upload preview of a Word file with time codes in every interface
    language, at both widths: on a phone its tables reflow, nothing scrolls sideways."""
    from tests.ingest_samples import word_recording

    for size, options in (("desktop", DESKTOP), ("phone", PHONE)):
        for locale, suffix in (("zh-CN", ""), *OTHER_LANGUAGES.items()):
            context, page = signed_in(browser, {**options, "locale": locale})
            page.set_input_files("#id_files", files=[{"name": "keyi.docx", "mimeType": "application/octet-stream",
                                                      "buffer": word_recording()}])
            page.fill("#id_media_url", "https://www.youtube.com/watch?v=battery42")
            page.locator("input[type=submit]").click()
            _shoot(page, f"admin-preview-turns-{size}{'-' + suffix if suffix else ''}")
            context.close()


def _shoot(page, name: str) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
    print(f"docs/screenshots/{name}.png")


def first_hit() -> str:
    return json.load(urllib.request.urlopen(BASE + "/api/search/?q=%E9%B8%A1%E8%9B%8B"))["results"][0]["url"]


def reading_pages(browser) -> None:
    for size, options in (("desktop", DESKTOP), ("phone", PHONE)):
        for locale, suffix in (("zh-CN", ""), *OTHER_LANGUAGES.items()):
            context = browser.new_context(**{**options, "locale": locale})
            page = context.new_page()
            for name, path in PAGES.items():
                if suffix and name not in TRANSLATED:
                    continue
                page.goto(BASE + path if path else first_hit())
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{size}{'-' + suffix if suffix else ''}.png"
                page.screenshot(path=str(target), full_page=name not in PARTIAL)
                print(target.relative_to(ROOT))
            context.close()


LANGUAGES = {"zh-hans": "zh-CN", "zh-hant": "zh-TW", "en": "en-US"}


def upload(page, data: bytes) -> None:
    page.goto(BASE + "/admin/interviews/article/upload/")
    page.set_input_files("#id_files", files=[{"name": "robots.md", "mimeType": "text/markdown", "buffer": data}])
    page.locator("input[type=submit]").click()


def trust_pages(browser) -> None:
    """An interview imported, an answer edited, a corrected source uploaded
    (the preview asks where the editor and the source disagree), a turn
    removed; then the preview, the history, a comparison and the removed
    turn's page in each interface language, at desktop and phone widths (issue 15)."""
    context, page = signed_in(browser, DESKTOP)
    upload(page, transcript(interview()))
    page.locator("input[name=confirm]").click()
    article = page.url.rstrip("/").split("/")[-2]
    page.locator("textarea[name$='-text']").filter(has_text="一台机器人要在工厂里干满三年").fill(ANSWERS[3].replace("三年", "五年"))
    page.locator("input[name=_save]").click()
    upload(page, transcript(corrected_with_new_question_at_top(interview())))
    preview = page.url
    page.goto(f"{BASE}/admin/interviews/article/{article}/change/")
    removed = page.locator(".field-origin a").nth(5).inner_text().lstrip("t")
    page.locator("input[name^='turns-'][name$='-DELETE']").nth(5).check()
    page.locator("input[name=_save]").click()
    context.close()
    pages = {"admin-preview-conflicts": preview, "admin-history": f"{BASE}/admin/interviews/article/{article}/history/",
             "removed-turn": f"{BASE}/t/{removed}/"}
    for language, locale in LANGUAGES.items():
        for size, options in (("desktop", DESKTOP), ("phone", PHONE)):
            context, page = signed_in(browser, {**options, "locale": locale})
            for name, url in pages.items():
                page.goto(url)
                _shoot(page, f"{name}-{language}-{size}")
            page.goto(pages["admin-history"])
            page.locator("input[type=submit]").click()
            _shoot(page, f"admin-compare-{language}-{size}")
            context.close()


def main() -> None:
    """SCREENSHOT_SERVER=http://… shoots a server already running (the
    reading pages only: the admin's need the editor make screenshots creates)."""
    OUT.mkdir(parents=True, exist_ok=True)
    if running := os.environ.get("SCREENSHOT_SERVER"):
        global BASE
        BASE = running
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            reading_pages(browser)
            browser.close()
        return
    # The web-address import fetches a page this script serves on loopback.
    environment = {**os.environ, "IMPORT_ALLOW_PRIVATE_ADDRESSES": "true"}
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment)
    try:
        wait_for_server()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for name, shoot in (("reading", reading_pages), ("admin", admin_pages), ("ingest", ingest_pages),
                                ("trust", trust_pages), ("preview", preview_pages)):
                if not ONLY or name in ONLY:
                    shoot(browser)
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
