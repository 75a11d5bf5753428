"""Every format through the admin upload, import by web address against a
local server, and time codes from the preview to the page, the API and
search results."""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.interviews.fetching import FetchError, fetch_page
from archive.interviews.models import Article, media_moment
from tests.ingest_samples import RECORDER, SRT, WECHAT_PAGE, serve, word_file

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/interviews/article/upload/"


@pytest.fixture
def staff(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "pw"))
    return client


@pytest.fixture
def pages():
    """A web server on loopback serving a few pages by path."""
    routes = {
        "/wechat": (200, "text/html; charset=utf-8", WECHAT_PAGE.encode()),
        "/moved": (302, "text/html", b"", {"Location": "/wechat"}),
        "/data.json": (200, "application/json", b"{}"),
        "/huge": (200, "text/html", b"<html><body>" + b"x" * 5000 + b"</body></html>"),
    }

    with serve(routes) as address:
        yield address


def upload(client, *files, follow=True, **fields):
    return client.post(UPLOAD, {"files": [SimpleUploadedFile(n, c) for n, c in files], **fields}, follow=follow)


@pytest.mark.parametrize(
    ("name", "content", "title", "kinds"),
    [
        ("zhao.docx", word_file(), "专访赵大海：量子计算的下一步", {"question", "answer", "heading", "caption", "narration"}),
        ("lihang.html", WECHAT_PAGE.encode(), "对话李航：机器人何时走进家庭", {"question", "answer", "caption", "narration"}),
        ("talk.srt", SRT.encode(), "talk", {"question", "answer"}),
        ("rec.txt", RECORDER.encode(), "rec", {"question", "answer"}),
    ],
)
def test_each_format_goes_to_a_preview_with_its_structure(staff, search_index, name, content, title, kinds):
    response = upload(staff, (name, content))
    parsed = response.context["parsed"]
    assert parsed.title == title and {turn.kind.value for turn in parsed.turns} == kinds
    assert not Article.objects.exists()


def test_a_word_file_inside_a_zip_is_a_transcript_too(staff, search_index):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("zhao.docx", word_file())
        archive.writestr("talk.srt", SRT)
    response = upload(staff, ("batch.zip", buffer.getvalue()), follow=False)
    assert [item.upload.name for item in response.context["batch"].staged] == ["batch.zip/zhao.docx", "batch.zip/talk.srt"]


def test_confirming_subtitles_stores_turn_times_shown_and_linked_to_the_recording(staff, search_index, client, django_capture_on_commit_callbacks):
    preview = upload(staff, ("talk.srt", SRT.encode()), media_url="https://www.youtube.com/watch?v=abc123")
    form = preview.context["form"]
    data = {field.name: (field.value() if field.value() is not None else "") for field in form}
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(preview.request["PATH_INFO"], {**data, "confirm": "1"})
    article = Article.objects.get()
    assert article.media_url == "https://www.youtube.com/watch?v=abc123"
    assert list(article.turns.values_list("start", "end"))[:2] == [(1.0, 5.0), (6.0, 8.5)]
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="https://www.youtube.com/watch?v=abc123&amp;t=6"' in page and ">0:06</time>" in page
    turns = client.get(f"/api/articles/{article.slug}/").json()["turns"]
    assert turns[1]["start"] == 6.0 and turns[1]["end"] == 8.5
    hit = client.get("/api/search/", {"q": "机器人"}).json()["results"][0]
    assert hit["start"] == 11.5
    results = client.get("/search/", {"q": "机器人"}).content.decode()
    assert ">0:11</time>" in results


def test_recording_moments_for_youtube_bilibili_and_media_files():
    assert media_moment("https://youtu.be/abc?si=x", 62.5) == "https://youtu.be/abc?si=x&t=62"
    assert media_moment("https://www.bilibili.com/video/BV1xx?t=5", 90) == "https://www.bilibili.com/video/BV1xx?t=90"
    assert media_moment("https://example.com/talk.mp3", 62.5) == "https://example.com/talk.mp3#t=62.5"


def test_a_web_address_is_fetched_read_as_a_page_and_kept_as_the_source(staff, search_index, settings, pages):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    response = upload(staff, urls=f"{pages}/moved")
    parsed = response.context["parsed"]
    assert parsed.title == "对话李航：机器人何时走进家庭" and parsed.source_url == f"{pages}/wechat"
    assert parsed.outlet == "星火观察" and parsed.format == "html"


def test_web_addresses_that_cannot_be_imported_are_named_with_why(staff, search_index, settings, pages):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True
    settings.TRANSCRIPT_MAX_BYTES = 1000
    response = upload(staff, urls=f"{pages}/data.json\n{pages}/huge\n{pages}/missing", follow=False)
    problems = {problem.name.rsplit("/", 1)[1]: problem.message for problem in response.context["batch"].problems}
    assert "not a web page" in problems["data.json"]
    assert "larger than the limit" in problems["huge"]
    assert "404" in problems["missing"]
    assert not Article.objects.exists()


def test_loopback_and_private_addresses_are_refused_unless_allowed(settings, pages):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = False
    for url in (f"{pages}/wechat", "http://localhost:9/", "http://10.0.0.1/", "http://[::1]/"):
        with pytest.raises(FetchError, match="loopback or private"):
            fetch_page(url)


def test_only_http_and_https_addresses_are_accepted(staff, search_index):
    response = upload(staff, urls="ftp://example.com/a.html", follow=False)
    assert "urls" in response.context["form"].errors
    with pytest.raises(FetchError, match="only http"):
        fetch_page("file:///etc/passwd")


def test_upload_problems_and_warnings_are_shown_in_the_interface_language(staff, search_index):
    page = upload(staff, ("photo.png", b"\x89PNG"), HTTP_ACCEPT_LANGUAGE="zh-hans", follow=False).content.decode()
    assert "只能上传" in page
    preview = upload(staff, ("talk.srt", SRT.encode()), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "文件没有标题" in preview and "字幕 1" in preview


def test_import_transcripts_reads_every_format_in_a_folder(tmp_path, search_index):
    from io import StringIO

    from django.core.management import call_command

    (tmp_path / "zhao.docx").write_bytes(word_file())
    (tmp_path / "talk.srt").write_text(SRT, encoding="utf-8")
    (tmp_path / "page.html").write_text(WECHAT_PAGE, encoding="utf-8")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    out = StringIO()
    call_command("import_transcripts", str(tmp_path), stdout=out)
    *files, summary = out.getvalue().splitlines()
    assert sorted(line.split()[0] for line in files) == ["created"] * 3 and "3 created" in summary
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "talk", "专访赵大海：量子计算的下一步", "对话李航：机器人何时走进家庭"]
