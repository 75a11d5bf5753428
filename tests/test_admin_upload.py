"""Upload → preview → confirm in the admin, through the Django test client:
every accepted shape of input, every bad one, re-uploads, editing, merging,
history and permissions."""

import io
import json
import zipfile

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.interviews.models import Article, Speaker, StagedUpload, Turn
from archive.search.service import SearchRequest, search
from tests.conftest import fixture_bytes, indexed

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/interviews/article/upload/"
QA = """---
title: 王坚谈开源
outlet: 南方都市报
date: 2024-03-12
---
记者：你怎么看开源大模型？
王坚：开源是一种力量，技术社区会找到发展路径。
记者：算力够不够？
王坚：算力永远不够，但要先把事情做起来。
"""
ASKED = """问：你觉得Sora意味着什么？
答：它让我们重新理解世界模型，鸡蛋碰石头也得碰。
问：中国公司差距有多大？
答：差距不小，但承认差距并不丢人。
"""


@pytest.fixture
def staff(client):
    """An editor using the English interface (the messages asserted below);
    test_the_upload_speaks_the_editors_language has the Chinese ones."""
    user = User.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(client, *files, follow=False, **fields):
    data = {"files": [SimpleUploadedFile(name, content) for name, content in files], **fields}
    return client.post(UPLOAD, data, follow=follow)


def confirm(client, response, **changes):
    """Post the preview form as shown, with ``changes``, and the confirm button."""
    form = response.context["form"]
    data = {name: (field.value() if field.value() is not None else "") for name, field in ((f.name, f) for f in form)}
    data.update(changes, confirm="1")
    return client.post(response.request["PATH_INFO"], data, follow=True)


def zipped(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def test_one_file_goes_to_its_preview_and_nothing_is_stored_before_confirming(staff, search_index):
    response = upload(staff, ("wang.md", QA.encode()), follow=True)
    assert response.status_code == 200 and "王坚谈开源" in response.content.decode()
    parsed = response.context["parsed"]
    assert parsed.encoding == "utf-8" and [s.role.value for s in parsed.speakers] == ["asks", "answers"]
    assert [k for _, _, k in response.context["form"].turn_rows()][0].value() == "question"
    assert not Article.objects.exists() and not Speaker.objects.exists()


def test_confirming_stores_the_article_indexes_it_and_logs_who(staff, search_index, django_capture_on_commit_callbacks):
    preview = upload(staff, ("wang.md", QA.encode()), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(staff, preview)
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/interviews/article/{article.pk}/change/"
    assert article.turns.count() == 4 and indexed() == 4 and not StagedUpload.objects.exists()
    entry = LogEntry.objects.get()
    assert entry.user.username == "editor" and entry.change_message == '[{"added": {}}]'  # Django's form: translated when shown
    source = staff.get(f"/admin/interviews/article/{article.pk}/source/")
    assert source.content == QA.encode() and "wang.md" in source["Content-Disposition"]


def test_gb18030_with_labels_mapped_to_a_new_speaker_is_found_in_the_other_script(staff, search_index, django_capture_on_commit_callbacks):
    preview = upload(staff, ("sora.txt", ASKED.encode("gb18030")), follow=True, title="某某谈Sora", outlet="测试周刊")
    parsed = preview.context["parsed"]
    assert parsed.encoding == "gb18030"
    answers = next(i for i, s in enumerate(parsed.speakers) if s.label == "答")
    asks = next(i for i, s in enumerate(parsed.speakers) if s.label == "问")
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff, preview, **{f"speaker-{answers}-name": "李某某", f"speaker-{asks}-name": "测试周刊记者"})
    assert Speaker.objects.get(name="李某某").turns.filter(kind="answer").count() == 2
    hits = search(SearchRequest(q="雞蛋")).hits
    assert [hit.turn.speaker.name for hit in hits] == ["李某某"]


def test_corrections_change_roles_kinds_and_merge_into_an_existing_speaker(staff, seeded, django_capture_on_commit_callbacks):
    preview = upload(staff, ("sora.txt", ASKED.encode()), follow=True, title="又一次谈Sora")
    labels = [s.label for s in preview.context["parsed"].speakers]
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff, preview, **{
            f"speaker-{labels.index('答')}-name": "周鴻禕",  # the Traditional spelling of an existing speaker
            "turn-1-kind": "heading",
        })
    article = Article.objects.get(title="又一次谈Sora")
    zhou = Speaker.objects.get(slug="zhou-hong-yi")
    assert set(article.turns.filter(kind="answer").values_list("speaker", flat=True)) == {zhou.pk}
    assert article.turns.get(seq=1).kind == "heading"


def test_reuploading_a_source_shows_what_changes_and_updates_the_article(staff, seeded, django_capture_on_commit_callbacks):
    original = seeded["000"]
    changed = fixture_bytes("000").decode().replace("英伟达", "英伟达公司").encode()  # the body, not the title
    numbers = list(original.turns.values_list("number", flat=True))
    preview = upload(staff, ("000.txt", changed), follow=True)
    page = preview.content.decode()
    change = preview.context["change"]
    assert preview.context["existing"] == original and "英伟达公司" in page
    assert {row.status for row in change.rows} == {"changed"} and change.counts["kept"] == len(numbers)
    assert "英伟达<ins>公司</ins>" in page and "<del>" not in page  # the words added, not whole turns struck out
    with django_capture_on_commit_callbacks(execute=True):
        confirm(staff, preview)
    assert Article.objects.count() == 3 and original.turns.filter(text__contains="英伟达公司").exists()
    assert list(original.turns.values_list("number", flat=True)) == numbers  # every permalink still leads to its turn
    assert any(hit.turn.article_id == original.pk for hit in search(SearchRequest(q='"英伟达公司"')).hits)


def test_reuploading_the_same_file_says_so_and_changes_nothing(staff, seeded):
    preview = upload(staff, ("000.txt", fixture_bytes("000")), follow=True)
    assert preview.context["plan"].unchanged and preview.context["change"] is None
    before = list(Turn.objects.values_list("pk", "number", "text"))
    response = confirm(staff, preview)
    assert "is unchanged: the archive already has this exact file" in response.content.decode()
    assert list(Turn.objects.values_list("pk", "number", "text")) == before


def test_a_batch_zip_and_pasted_text_stage_the_good_files_and_name_the_bad(staff, search_index):
    batch = zipped(**{"a.txt": QA.encode(), "b.md": ASKED.encode("gb18030"), "c.png": b"\x89PNG\r\n\x1a\n",
                      "deep__d.txt": QA.encode(), "e.txt": b""})
    response = upload(staff, ("batch.zip", batch), ("empty.txt", b""), text=QA.replace("王坚谈开源", "贴上的访谈"), title="")
    problems = {problem.name: problem.message for problem in response.context["batch"].problems}
    staged = [item.upload.name for item in response.context["batch"].staged]
    assert staged == ["batch.zip/a.txt", "pasted text"]
    assert "title" in problems["batch.zip/b.md"]  # decoded (GB18030) and parsed, but nothing names it
    assert "only" in problems["batch.zip/c.png"] and "folders" in problems["batch.zip/deep/d.txt"]
    assert "empty" in problems["batch.zip/e.txt"] and "empty" in problems["empty.txt"]
    page = response.content.decode()
    assert all(name in page for name in problems)
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("photo.png", b"\x89PNG\r\n\x1a\n", "only"),
        ("latin.txt", "标题\n甲：问？\n乙：答。".encode("utf-8")[:-1] + b"\xff\xfe\xfa" * 50, "encoding"),
        ("blank.txt", b"\n\n   \n", "empty"),
        ("evil.zip", zipped(**{"..__x.txt": QA.encode()}), "folders"),
        ("broken.zip", b"PK\x03\x04 not really", "zip"),
    ],
)
def test_bad_files_are_named_with_what_is_wrong_and_store_nothing(staff, seeded, name, content, message):
    before = (Article.objects.count(), Turn.objects.count(), Speaker.objects.count())
    response = upload(staff, (name, content))
    problems = response.context["batch"].problems
    assert problems and all(problem.name.startswith(name) for problem in problems)
    assert any(message in problem.message for problem in problems), [str(p) for p in problems]
    assert (Article.objects.count(), Turn.objects.count(), Speaker.objects.count()) == before
    assert not StagedUpload.objects.exists()


def test_files_over_the_size_limit_are_refused_by_name(staff, search_index, settings):
    settings.TRANSCRIPT_MAX_BYTES = 100
    response = upload(staff, ("big.txt", QA.encode()), ("big.zip", zipped(**{"inner.txt": QA.encode()})))
    problems = {problem.name: problem.message for problem in response.context["batch"].problems}
    assert "limit" in problems["big.txt"] and "limit" in problems["big.zip/inner.txt"]


def test_a_transcript_without_turns_is_refused(staff, search_index):
    response = upload(staff, ("title-only.txt", "---\ntitle: 只有标题\n---\n".encode()))
    [problem] = response.context["batch"].problems
    assert problem.name == "title-only.txt" and problem.message


def test_editing_turns_inline_rerenders_and_reindexes(staff, seeded, django_capture_on_commit_callbacks):
    article = seeded["000"]
    url = f"/admin/interviews/article/{article.pk}/change/"
    turn = article.turns.get(seq=2)
    data = _change_form_data(staff, url)
    index = next(i for i in range(int(data["turns-TOTAL_FORMS"])) if str(data[f"turns-{i}-id"]) == str(turn.pk))
    data[f"turns-{index}-text"] = "这是改过的回答，提到了猫头鹰。"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, data, follow=True)
    assert response.status_code == 200, response.context["adminform"].form.errors if response.context else ""
    turn.refresh_from_db()
    assert turn.text_hant == "這是改過的回答，提到了貓頭鷹。"
    assert any(hit.turn.pk == turn.pk for hit in search(SearchRequest(q="貓頭鷹")).hits)


def test_splitting_a_turn_inline_puts_the_new_part_after_it_and_renumbers(staff, seeded, django_capture_on_commit_callbacks):
    article = seeded["000"]
    url = f"/admin/interviews/article/{article.pk}/change/"
    data = _change_form_data(staff, url)
    total = int(data["turns-TOTAL_FORMS"])
    index = next(i for i in range(total) if str(data[f"turns-{i}-seq"]) == "2")
    first, rest = data[f"turns-{index}-text"][:10], data[f"turns-{index}-text"][10:]
    data[f"turns-{index}-text"] = first
    data.update({"turns-TOTAL_FORMS": total + 1, f"turns-{total}-seq": 2, f"turns-{total}-kind": data[f"turns-{index}-kind"],
                 f"turns-{total}-speaker": data.get(f"turns-{index}-speaker", ""), f"turns-{total}-text": rest,
                 f"turns-{total}-article": article.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(url, data)
    assert response.status_code == 302, [f.errors for f in response.context["inline_admin_formsets"][1].formset.forms if f.errors]
    texts = list(article.turns.order_by("seq").values_list("seq", "text"))
    assert [seq for seq, _ in texts] == list(range(1, total + 2))
    assert texts[1][1] == first and texts[2][1] == rest


def _change_form_data(client, url) -> dict:
    """Every field of an admin change form, with its inline formsets, as the browser would post it."""
    response = client.get(url)
    forms, data = [response.context["adminform"].form], {}
    for formset in response.context["inline_admin_formsets"]:
        forms += [formset.formset.management_form, *formset.formset.forms]
    for form in forms:
        for field in form:
            if field.value() is not None:
                data[field.html_name] = field.value()
    return data


def test_merging_speakers_keeps_every_name_and_moves_their_turns(staff, seeded, django_capture_on_commit_callbacks):
    zhou = Speaker.objects.get(slug="zhou-hong-yi")
    twin = Speaker.objects.create(name="周总")
    twin.add_name("周总")
    Turn.objects.filter(article=seeded["002"], speaker=zhou, seq__lte=10).update(speaker=twin)
    with django_capture_on_commit_callbacks(execute=True):
        staff.post("/admin/interviews/speaker/", {"action": "merge", "_selected_action": [zhou.pk, twin.pk]})
    survivor = Speaker.objects.get(pk__in=[zhou.pk, twin.pk])
    assert set(survivor.variants()) >= {"周鸿祎", "周鴻祎", "周总"}
    assert not Turn.objects.filter(speaker_id__in={zhou.pk, twin.pk} - {survivor.pk}).exists()
    logged = json.loads(LogEntry.objects.get(object_id=str(survivor.pk)).change_message)
    assert {message["added"]["object"] for message in logged if "added" in message} == set(survivor.variants()) - {survivor.name}  # the names it took


def test_only_staff_with_permission_can_upload(client, db):
    assert client.get(UPLOAD).status_code == 302 and "/admin/login/" in client.get(UPLOAD)["Location"]
    clerk = User.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)
    assert client.get(UPLOAD).status_code == 403
    clerk.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "change_article"]))
    assert client.get(UPLOAD).status_code == 200


def test_csrf_protection_stays_on(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.create_superuser("boss", "b@example.com", "pw"))
    assert strict.post(UPLOAD, {"text": QA}).status_code == 403


def test_uploaded_markup_is_never_rendered(staff, search_index):
    hostile = QA.replace("王坚谈开源", "<script>alert(1)</script>访谈").replace("开源是一种力量", "<img src=x onerror=alert(1)>")
    page = upload(staff, ("x.txt", hostile.encode()), follow=True).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_the_upload_speaks_the_editors_language(staff, seeded):
    """Problems, parser warnings, roles, kinds, the script and the admin's
    own names in Simplified Chinese (issue 14: they were English or fuzzy)."""
    staff.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    response = upload(staff, ("empty.txt", b""), ("photo.png", b"\x89PNG\r\n"))
    page = response.content.decode()
    assert "2 个文件未导入：" in page and "文件是空的" in page and "只能上传" in page
    preview = upload(staff, ("asked.txt", ASKED.encode()), follow=True, title="又一次谈Sora")
    page = preview.content.decode()
    assert "标签 问 没有指明是谁" in page  # a parser warning
    assert '<option value="asks" selected>提问</option>' in page and ">回答</option>" in page
    assert "<strong>简体</strong>" in page and "新发言人" in page
    assert "<style>" not in page and "css/admin-archive.css" in page  # the preview's styles obey the Content-Security-Policy
    changelist = staff.get("/admin/interviews/article/").content.decode()
    assert "选择 访谈 来修改" in changelist and "Articles" not in changelist
    assert "标题" in staff.get(f"/admin/interviews/article/{seeded['000'].pk}/change/").content.decode()




def test_checked_uploads_are_imported_together_and_leave_staging(staff, search_index, django_capture_on_commit_callbacks):
    other = QA.replace("王坚谈开源", "王坚再谈开源").replace("开源是一种力量", "开源是一种习惯")
    upload(staff, ("batch.zip", zipped(**{"a.txt": QA.encode(), "b.txt": other.encode()})), title="")
    staged = list(StagedUpload.objects.order_by("pk"))
    assert [item.name for item in staged] == ["batch.zip/a.txt", "batch.zip/b.txt"]
    with django_capture_on_commit_callbacks(execute=True):
        page = staff.post(UPLOAD + "confirm/", {"upload": [item.pk for item in staged]}, follow=True)
    assert "Imported 2 new interviews, updated 0, 0 unchanged." in page.content.decode()
    assert sorted(Article.objects.values_list("title", flat=True)) == ["王坚再谈开源", "王坚谈开源"]
    assert not StagedUpload.objects.exists() and indexed() == 8
    assert LogEntry.objects.filter(change_message__startswith="Imported batch.zip/").count() == 2
    assert search(SearchRequest(q="一种习惯")).total == 1


def test_importing_checked_uploads_keeps_an_editors_change_and_says_so(staff, seeded):
    turn = seeded["000"].turns.order_by("seq")[1]
    turn = Turn.objects.get(pk=turn.pk)
    turn.text = "编辑改过的话。"
    turn.save()
    changed = fixture_bytes("000").replace(turn.source_value("text").encode(), "来源也改过的话。".encode())
    upload(staff, ("000.txt", changed))
    staged = StagedUpload.objects.get()
    page = staff.post(UPLOAD + "confirm/", {"upload": [staged.pk]}, follow=True).content.decode()
    assert "the editor&#x27;s version of turn t" in page and "updated 1" in page
    assert Turn.objects.get(pk=turn.pk).text == "编辑改过的话。"


def test_importing_checked_uploads_needs_a_post(staff):
    assert staff.get(UPLOAD + "confirm/").status_code == 405
