"""What a hostile transcript or visitor can do: nothing. Stored markup is
inert on every page, in the admin, the API and the feed; headers forbid
inline script and sniffing; sign-in guessing is throttled; uploads are bounded."""

import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.interviews.importer import import_transcript
from archive.interviews.models import Article

pytestmark = pytest.mark.django_db

HOSTILE = """---
title: <script>alert("title")</script>标题<img src=x onerror=alert(1)>
outlet: <b onmouseover=alert(2)>报社</b>
source_url: javascript:alert(3)
speakers:
  甲: <script>alert("name")</script>甲
---
<h1>小标题<script>alert(4)</script></h1>
甲：<script>alert(5)</script>你好，[链接](javascript:alert(6)) <a href="javascript:alert(7)">点</a>？
乙：<iframe src="https://evil.example"></iframe>答：鸡蛋。
甲：再问？
乙：再答。
"""
LIVE_MARKUP = re.compile(r"<script>alert|<img src=x|<iframe|<b onmouseover|href=\"javascript:|href='javascript:", re.IGNORECASE)


@pytest.fixture
def hostile(search_index, django_capture_on_commit_callbacks) -> Article:
    with django_capture_on_commit_callbacks(execute=True):
        return import_transcript(HOSTILE.encode(), name="hostile.md").article


def assert_inert(response, where: str):
    assert response.status_code == 200, where
    body = response.content.decode()
    assert not LIVE_MARKUP.search(body), f"{where}: {LIVE_MARKUP.search(body).group()!r} is live"


def test_a_javascript_source_address_is_dropped_with_a_warning(hostile):
    assert hostile.source_url == ""


def test_stored_markup_is_inert_on_every_reading_page(client, hostile):
    speaker = hostile.turns.exclude(speaker=None).first().speaker
    for url in ("/", hostile.get_absolute_url(), hostile.turns.get(seq=2).permalink_path(), speaker.get_absolute_url(),
                hostile.outlet.get_absolute_url(), "/search/?q=鸡蛋", "/search/?q=<script>alert(1)</script>"):
        assert_inert(client.get(url), url)


def test_stored_markup_is_inert_in_the_admin(admin_client, hostile):
    for url in ("/admin/interviews/article/", f"/admin/interviews/article/{hostile.pk}/change/",
                "/admin/interviews/speaker/", "/admin/interviews/outlet/", f"/admin/interviews/outlet/{hostile.outlet.pk}/change/",
                "/admin/"):
        assert_inert(admin_client.get(url), url)


def test_the_api_serves_stored_markup_as_json_data_never_as_a_page(client, hostile):
    for url in (f"/api/articles/{hostile.slug}/", "/api/search/?q=鸡蛋", "/api/articles/"):
        response = client.get(url)
        assert response["Content-Type"] == "application/json" and response["X-Content-Type-Options"] == "nosniff"
        data = json.loads(response.content)
        assert data  # the markup is there as text, for the client to escape
    highlighted = client.get("/api/search/?q=鸡蛋").json()["results"][0]["highlighted"]
    assert "<iframe" not in highlighted and "&lt;iframe" in highlighted


def test_the_feed_escapes_stored_markup(client, hostile):
    feed = client.get("/feed/").content.decode()
    assert "<script>" not in feed and "&lt;script&gt;" in feed


def test_every_page_forbids_inline_script_and_sniffing(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # our only script is a file


def test_admin_sign_in_is_refused_after_repeated_failures(client, django_user_model, settings):
    cache.clear()
    settings.LOGIN_FAILURES_ALLOWED = 3
    django_user_model.objects.create_superuser("editor", "editor@example.com", "right-password")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    blocked = client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert blocked.status_code == 429 and "Retry-After" in blocked
    assert "_auth_user_id" not in client.session
    cache.clear()
    assert client.post("/admin/login/", {"username": "editor", "password": "right-password"}).status_code == 302


def test_failures_for_many_accounts_from_one_address_are_throttled_too(client, settings):
    cache.clear()
    settings.LOGIN_FAILURES_ALLOWED = 3
    for name in ("a", "b", "c"):
        client.post("/admin/login/", {"username": name, "password": "x"})
    assert client.post("/admin/login/", {"username": "d", "password": "x"}).status_code == 429
    cache.clear()


def test_an_upload_larger_than_the_limit_is_refused_with_the_reason(admin_client, settings):
    settings.TRANSCRIPT_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.txt", "标题\n问：你好？\n答：好。\n".encode() * 200)
    # The reason is shown in the editor's language (English here; 上限是 1,000 in Chinese).
    response = admin_client.post("/admin/interviews/article/upload/", {"files": [big]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "the limit is 1,000" in response.content.decode()
    assert "big.txt" in response.content.decode()
    big.seek(0)
    chinese = admin_client.post("/admin/interviews/article/upload/", {"files": [big]}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "上限是 1,000" in chinese.content.decode()
    assert not Article.objects.exists()


def test_a_request_body_over_the_upload_limit_is_refused_before_it_is_read(admin_client, settings):
    settings.UPLOAD_MAX_BYTES = 10_000
    files = [SimpleUploadedFile(f"{i}.txt", b"x" * 4000) for i in range(4)]
    response = admin_client.post("/admin/interviews/article/upload/", {"files": files})
    assert response.status_code == 413 and "16," in response.content.decode()
    assert not Article.objects.exists()
