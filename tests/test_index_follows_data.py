"""Search follows the data, whatever writes it: every path that changes an
interview — admin edit, import, re-import, bulk ORM update, bulk insert,
delete, speaker merge, restore — and then search is checked against the
database. Nothing here calls the index: the writes announce themselves."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from archive.interviews import history
from archive.interviews.admin import merge_speakers
from archive.interviews.importer import import_transcript
from archive.interviews.models import Article, Outlet, Participant, Speaker, SpeakerName, Turn
from archive.interviews.signals import ARTICLE_DATA, articles_changed
from archive.search.models import PendingUpdate
from tests.agreement import disagreements
from tests.conftest import FIXTURES
from tests.test_history import admin_edit
from tests.transcripts import corrected_with_new_question_at_top, interview, transcript


@pytest.mark.django_db(transaction=True)
def test_every_write_path_keeps_search_in_step(client, search_index, tmp_path):
    """Real commits (a transactional test): each change is searchable once it commits."""
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "pw"))
    steps = {
        "import": lambda: [import_transcript(path.read_bytes(), name=path.name) for path in sorted(FIXTURES.glob("*.txt"))]
        + [import_transcript(transcript(interview()), name="robots.md")],
        "re-import": lambda: import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md"),
        "admin edit": lambda: admin_edit(client, robots(), 2, "仓库的环境比较固定，猫头鹰也这么说。"),
        "bulk update": lambda: Turn.objects.filter(article=robots(), kind="question").update(text=Concat(F("text"), Value("（追问）"))),
        "bulk update of an outlet": lambda: Outlet.objects.filter(name="星河科技评论").update(name="星河科技周刊"),
        "bulk insert": lambda: Turn.objects.bulk_create([Turn(article=robots(), seq=100, kind="narration", text="编者按：本文经受访者审阅。",
                                                             text_hans="编者按：本文经受访者审阅。", text_hant="編者按：本文經受訪者審閱。")]),
        "bulk update of objects": lambda: Turn.objects.bulk_update(
            [_retext(turn) for turn in Turn.objects.filter(article=robots(), kind="answer")[:2]], ["text", "text_hans", "text_hant"]),
        "delete one turn": lambda: robots().turns.get(seq=3).delete(),
        "delete by query": lambda: Turn.objects.filter(article=robots(), seq__gt=12).delete(),
        "speaker merge": lambda: merge_speakers(Speaker.objects.get(name="林晓舟"), [_twin()]),
        "restore a version": lambda: history.restore(history.versions_of(robots().pk).last()),
        "delete an article": lambda: Article.objects.get(title__contains="王堅").delete(),
        "restore a backup": lambda: _backup_and_restore(tmp_path),
    }
    for name, step in steps.items():
        with transaction.atomic():
            step()
        assert not PendingUpdate.objects.exists(), name
        assert disagreements() == [], name


def robots() -> Article:
    return Article.objects.get(title__startswith="林晓舟")


def _retext(turn: Turn) -> Turn:
    turn.text = turn.text + "这一点很关键。"
    turn.render()
    return turn


def _twin() -> Speaker:
    twin = Speaker.objects.create(name="林晓舟博士")
    Turn.objects.filter(article=robots(), kind="answer", seq__lte=6).update(speaker=twin)
    return twin


def _backup_and_restore(tmp_path):
    call_command("backup", output=str(tmp_path / "b.tar.gz"), verbosity=0)
    call_command("restore", str(tmp_path / "b.tar.gz"), replace=True, verbosity=0)


def test_every_model_the_index_reads_announces_its_writes():
    """The choke point is complete: saves and deletes of each model send
    articles_changed through model signals, and its QuerySet (the managers',
    related managers' included) announces update, bulk_create and bulk_update."""
    from django.db.models.signals import post_delete, post_save

    from archive.interviews.models import ArchiveQuerySet

    assert set(ARTICLE_DATA) == {Article, Turn, Participant, Speaker, SpeakerName, Outlet}
    for model in ARTICLE_DATA:
        assert post_save.has_listeners(model) and post_delete.has_listeners(model), model
        queryset = type(model._default_manager.all())
        assert issubclass(queryset, ArchiveQuerySet), model
        for method in ("update", "bulk_create", "bulk_update"):
            assert getattr(queryset, method) is getattr(ArchiveQuerySet, method) or method == "bulk_create", (model, method)
    assert articles_changed.has_listeners()


@pytest.mark.django_db
def test_one_transaction_queues_each_article_once(seeded):
    article = seeded["000"]
    with transaction.atomic():
        for turn in article.turns.all():
            turn.text += "。"
            turn.save()
        assert PendingUpdate.objects.filter(article_id=article.pk).count() == 1


@pytest.mark.django_db
def test_a_rolled_back_savepoint_does_not_hide_a_later_change(seeded):
    article = seeded["000"]
    with transaction.atomic():
        try:
            with transaction.atomic():
                article.turns.update(text="x")
                raise RuntimeError
        except RuntimeError:
            pass
        assert not PendingUpdate.objects.filter(article_id=article.pk).exists()
        article.turns.filter(seq=1).update(text="新的文字")
        assert PendingUpdate.objects.filter(article_id=article.pk).exists()
