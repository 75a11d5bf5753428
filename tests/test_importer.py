"""The importer: atomic, idempotent, one speaker across scripts, index in step."""

from unittest import mock

import pytest

from archive.interviews.importer import Overrides, import_transcript
from archive.interviews.models import Article, Outlet, Speaker, Turn
from archive.lib.transcript import TranscriptError
from archive.search.models import PendingUpdate
from tests.conftest import fixture_bytes, indexed, raw_seed

pytestmark = pytest.mark.django_db


def test_seeds_give_three_articles_and_four_speakers(seeded):
    assert Article.objects.count() == 3
    assert sorted(s.names.first().key for s in Speaker.objects.all()) == sorted(["周鸿祎", "南都", "中国企业家", "王坚"])


def test_zhou_is_one_speaker_with_both_spellings_and_two_articles(seeded):
    zhou = Speaker.objects.named("周鴻祎")
    assert zhou == Speaker.objects.named("周鸿祎")
    assert sorted(zhou.variants()) == ["周鴻祎", "周鸿祎"]
    assert zhou.participations.count() == 2
    assert zhou.description == "360集团创始人"


def test_articles_keep_outlet_date_script_credits_and_source(seeded):
    article = seeded["002"]
    assert article.outlet.name == "中国企业家"
    assert str(article.published) == "2024-02-20"
    assert article.script == "hant"
    assert article.credits == ["頭圖攝影|鄧攀"]
    assert article.deck == "承認差距并不丢人,知道差距在哪兒,我們迎頭趕上。"
    assert bytes(article.source) == fixture_bytes("002")
    assert len(article.source_hash) == 64 and article.source_encoding == "utf-8"


def test_nandu_becomes_the_short_name_of_its_outlet(seeded):
    outlet = Outlet.objects.get(name="南方都市报")
    assert outlet.short_names == ["南都"]
    assert Outlet.objects.named("南都") == outlet
    assert seeded["003"].outlet == outlet


def test_turns_store_the_original_and_both_renderings(seeded):
    turn = seeded["002"].turns.get(seq=5)
    assert turn.kind == Turn.Kind.QUESTION and turn.speaker.name == "中國企業家"
    assert turn.text == turn.text_hant == "Sora 橫空出世之後,你是焦慮多一點還是興奮多一點?"
    assert turn.text_hans == "Sora 横空出世之后,你是焦虑多一点还是兴奋多一点?"
    simplified = seeded["000"].turns.get(seq=3)
    assert simplified.text == simplified.text_hans and "兩會" in simplified.text_hant


def test_participants_record_roles_and_labels(seeded):
    parts = {(p.speaker.name, p.role, p.label) for p in seeded["002"].participants.all()}
    assert parts == {("中國企業家", "asks", "中國企業家"), ("周鸿祎", "answers", "周鴻祎")}


def test_the_search_index_has_every_turn_after_import(seeded):
    assert indexed() == Turn.objects.count() == 86
    assert not PendingUpdate.objects.exists()


def test_importing_the_same_bytes_again_is_unchanged_and_writes_nothing(seeded):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = seeded["000"]
    with CaptureQueriesContext(connection) as queries:
        result = import_transcript(fixture_bytes("000"), name="again.txt")
    writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert result.status == "unchanged" and not result.created
    assert result.article.pk == before.pk and result.article.slug == before.slug
    assert Article.objects.count() == 3 and Turn.objects.count() == 86
    assert not PendingUpdate.objects.exists()


def test_a_corrected_source_updates_its_article_keeping_turn_numbers(seeded, django_capture_on_commit_callbacks):
    numbers = list(seeded["000"].turns.values_list("number", flat=True))
    corrected = fixture_bytes("000").replace("具体应该怎么做?".encode(), "具体应该怎样做?".encode())
    with django_capture_on_commit_callbacks(execute=True):
        result = import_transcript(corrected, name="000.txt")
    assert result.status == "updated" and result.article.pk == seeded["000"].pk
    assert result.plan.counts() == {"kept": 18, "changed": 1, "added": 0, "removed": 0}
    assert result.article.turns.filter(text="具体应该怎样做?").exists()
    assert not Turn.objects.filter(text="具体应该怎么做?").exists()
    assert list(result.article.turns.values_list("number", flat=True)) == numbers
    assert indexed() == 86


def test_a_failure_midway_stores_nothing_and_leaves_the_archive_as_it_was(seeded):
    snapshot = (Article.objects.count(), Turn.objects.count(), Speaker.objects.count(), Outlet.objects.count())
    with mock.patch.object(Turn.objects, "bulk_create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            import_transcript(raw_seed("003").replace("南都", "新京报").encode(), name="new.txt")
    assert (Article.objects.count(), Turn.objects.count(), Speaker.objects.count(), Outlet.objects.count()) == snapshot
    assert not Speaker.objects.named("新京报")


def test_a_failed_reimport_keeps_the_old_turns(seeded):
    before = list(seeded["000"].turns.values_list("number", "text"))
    corrected = fixture_bytes("000").replace("具体应该怎么做?".encode(), "具体应该怎样做?".encode())
    with mock.patch.object(Turn.objects, "bulk_update", side_effect=RuntimeError("boom")):
        with pytest.raises(RuntimeError):
            import_transcript(corrected)
    assert list(seeded["000"].turns.values_list("number", "text")) == before


def test_bad_input_raises_transcript_error_and_stores_nothing(db):
    for data in (b"", b"\x00\x01\x02binary", b"---\ntitle: x\n---\n"):
        with pytest.raises(TranscriptError):
            import_transcript(data)
    assert not Article.objects.exists()


def test_oversized_sources_are_refused(db, settings):
    settings.TRANSCRIPT_MAX_BYTES = 100
    with pytest.raises(TranscriptError, match="limit"):
        import_transcript(fixture_bytes("000"))


def test_overrides_win_over_what_the_parser_inferred(db, search_index, django_capture_on_commit_callbacks):
    overrides = Overrides(title="周鸿祎谈Sora", outlet="南方都市报", speakers={"南都": "南方都市报记者"})
    with django_capture_on_commit_callbacks(execute=True):
        article = import_transcript(raw_seed("000").encode(), overrides=overrides).article
    assert article.title == "周鸿祎谈Sora" and article.outlet.name == "南方都市报"
    assert article.turns.filter(kind="question").first().speaker.name == "南方都市报记者"


def test_an_index_failure_keeps_the_update_queued_for_the_next_run(db, search_index, django_capture_on_commit_callbacks):
    from archive.search import indexing

    with mock.patch.object(indexing, "reindex_articles", side_effect=OSError("index locked")):
        with django_capture_on_commit_callbacks(execute=True):
            article = import_transcript(fixture_bytes("000")).article
    pending = PendingUpdate.objects.get()
    assert pending.article_id == article.pk and pending.attempts == 1 and "locked" in pending.last_error
    assert indexing.process_pending() == 1
    assert indexed() == 18 and not PendingUpdate.objects.exists()
