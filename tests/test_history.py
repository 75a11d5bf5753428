"""Every change to an article is a version — import, re-import, admin edit,
speaker merge, deletion, restore — listed with who and when, compared, and
restored from the admin; backups carry them."""

import tarfile

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from reversion.models import Version

from archive.interviews import history
from archive.interviews.admin import merge_speakers
from archive.interviews.importer import import_transcript
from archive.interviews.models import Article, Speaker, Turn
from archive.search.service import SearchRequest, search
from tests.conftest import settle_constraints
from tests.test_admin_upload import _change_form_data
from tests.transcripts import corrected_with_new_question_at_top, interview, transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = User.objects.create_superuser("editor", "editor@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def robots(search_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return import_transcript(transcript(interview()), name="robots.md").article


def descriptions(article_id) -> list[str]:
    return [history.describe(version.revision) for version in history.versions_of(article_id)]


def admin_edit(client, article, seq: int, text: str):
    url = f"/admin/interviews/article/{article.pk}/change/"
    data = _change_form_data(client, url)
    turn = article.turns.get(seq=seq)
    index = next(i for i in range(int(data["turns-TOTAL_FORMS"])) if str(data[f"turns-{i}-id"]) == str(turn.pk))
    data[f"turns-{index}-text"] = text
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return turn


def test_each_step_is_a_version_with_who_and_what(editor, robots, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_edit(editor, robots, 2, "仓库的环境比较固定。")
        import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots-2.md")
        lin = Speaker.objects.get(name="林晓舟")
        twin = Speaker.objects.create(name="林晓舟（星河机器人）")
        Turn.objects.filter(article=robots, seq=4).update(speaker=twin)
        merge_speakers(lin, [twin], user=User.objects.get())
    said = descriptions(robots.pk)
    assert len(said) == 4
    assert said[3].startswith("Imported from robots.md: 12 turns") or said[3].startswith("从 robots.md 导入")
    assert "robots-2.md" in said[1] and "林晓舟（星河机器人）" in said[0]
    users = [v.revision.user.username if v.revision.user else None for v in history.versions_of(robots.pk)]
    assert users == ["editor", None, "editor", None]
    page = editor.get(f"/admin/interviews/article/{robots.pk}/history/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count('name="from"') == 4 and "robots-2.md" in page


def test_two_versions_compare_turn_by_turn(editor, robots):
    first = history.versions_of(robots.pk).get()
    admin_edit(editor, robots, 2, "仓库的环境比较固定。")
    newest = history.versions_of(robots.pk).first()
    comparison = history.compare(first, newest)
    [change] = comparison.turns
    assert change.status == "changed" and change.number == robots.turns.get(seq=2).number
    before, after = change.marked
    assert "<del>" in before and "<ins>" in after and comparison.unchanged == 11
    page = editor.get(f"/admin/interviews/article/{robots.pk}/history/compare/", {"from": first.pk, "to": newest.pk}).content.decode()
    assert f"t{change.number}" in page and "<del>" in page


def test_restoring_a_version_puts_back_the_words_under_the_same_numbers_and_reindexes(editor, robots, django_capture_on_commit_callbacks):
    first = history.versions_of(robots.pk).get()
    before = list(robots.turns.values_list("number", "seq", "text"))
    with django_capture_on_commit_callbacks(execute=True):
        import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots-2.md")
        admin_edit(editor, robots, 2, "仓库的环境比较固定，猫头鹰也这么说。")
    assert search(SearchRequest(q="猫头鹰")).total == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/interviews/article/history/{first.pk}/restore/")
    assert response.status_code == 302
    assert list(robots.turns.values_list("number", "seq", "text")) == before
    assert search(SearchRequest(q="猫头鹰")).total == 0 and search(SearchRequest(q="车库")).total == 0
    assert search(SearchRequest(q="回本")).total == 1
    assert "Restored" in descriptions(robots.pk)[0] or "恢复" in descriptions(robots.pk)[0]


def test_a_deleted_interview_can_be_restored_from_its_last_version(editor, robots, django_capture_on_commit_callbacks):
    numbers = list(robots.turns.values_list("number", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/interviews/article/{robots.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Article.objects.exists()
    [deleted] = history.deleted_articles()
    assert "Deleted" in history.describe(deleted.revision) or "删除" in history.describe(deleted.revision)
    assert editor.get("/admin/interviews/article/deleted/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"/admin/interviews/article/history/{deleted.pk}/restore/")
    assert list(Article.objects.get().turns.values_list("number", flat=True)) == numbers
    assert search(SearchRequest(q="仓库")).total >= 1


def test_restoring_a_version_from_before_a_speaker_merge_uses_the_merged_speaker(editor, robots):
    first = history.versions_of(robots.pk).get()
    lin = Speaker.objects.get(name="林晓舟")
    other = Speaker.objects.create(name="林总")
    merge_speakers(other, [lin])  # 林晓舟 merged away into 林总, who keeps the name 林晓舟
    history.restore(first)
    assert set(robots.turns.filter(kind="answer").values_list("speaker__name", flat=True)) == {"林总"}


def test_backups_carry_the_history(robots, tmp_path, editor):
    admin_edit(editor, robots, 2, "仓库的环境比较固定。")
    versions = Version.objects.count()
    call_command("backup", output=str(tmp_path / "b.tar.gz"), verbosity=0)
    with tarfile.open(tmp_path / "b.tar.gz") as archive:
        assert '"model": "reversion.version"' in archive.extractfile("database.json").read().decode()
    settle_constraints()
    call_command("restore", str(tmp_path / "b.tar.gz"), replace=True, verbosity=0)
    assert Version.objects.count() == versions and len(descriptions(robots.pk)) == 2
    history.restore(history.versions_of(robots.pk).last())  # the restored history still restores
    assert Article.objects.get().turns.get(seq=2).text.startswith("仓库的环境相对固定")



def test_restoring_takes_a_post_from_an_editor_who_may_change_and_add(editor, robots, client):
    version = history.versions_of(robots.pk).get()
    url = f"/admin/interviews/article/history/{version.pk}/restore/"
    assert editor.get(url).status_code == 405
    clerk = User.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(clerk)
    assert client.post(url).status_code == 403
