"""Re-importing a corrected source respects editors' work: what an editor
changed is kept unless the source changed it too, and then the editor
decides (the upload preview asks; the command keeps the editor's version
unless told --take-source)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from archive.interviews.importer import EDITOR, SOURCE, Overrides, import_transcript
from archive.interviews.models import Article, RemovedTurn, Turn
from tests.transcripts import ANSWERS, corrected_with_new_question_at_top, interview, transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def robots(search_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return import_transcript(transcript(interview()), name="robots.md").article


def edit(turn: Turn, **changes) -> Turn:
    turn = Turn.objects.get(pk=turn.pk)  # as the admin loads it
    for name, value in changes.items():
        setattr(turn, name, value)
    turn.save()
    return turn


def test_an_edit_records_what_the_source_said(robots):
    turn = edit(robots.turns.get(seq=2), text="仓库的环境比较固定。")
    assert turn.edits == {"text": ANSWERS[0]} and turn.source_value("text") == ANSWERS[0]
    turn = edit(turn, text=ANSWERS[0])  # set back: the source's again
    assert turn.edits == {}


def test_an_editors_fix_survives_a_correction_elsewhere(robots):
    fixed = edit(robots.turns.get(seq=2), text=ANSWERS[0].replace("抓取", "抓取动作"))
    result = import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    assert result.plan.conflicts == []
    fixed.refresh_from_db()
    assert "抓取动作" in fixed.text and fixed.edits == {"text": ANSWERS[0]}


def test_the_source_agreeing_with_the_editor_clears_the_mark(robots):
    better = ANSWERS[3].replace("回本", "收回成本")
    edited = edit(robots.turns.get(seq=8), text=better)
    result = import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    assert result.plan.conflicts == []
    edited.refresh_from_db()
    assert edited.text == better and edited.edits == {}


def test_when_both_changed_the_editors_version_is_kept_by_default(robots):
    mine = ANSWERS[3].replace("三年", "五年")
    edited = edit(robots.turns.get(seq=8), text=mine)
    result = import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    [conflict] = result.plan.conflicts
    assert (conflict.key, conflict.choice) == (f"turn:{edited.number}:text", EDITOR)
    assert conflict.editor == mine and conflict.source_before == ANSWERS[3] and "收回成本" in conflict.source_now
    edited.refresh_from_db()
    assert edited.text == mine and "收回成本" in edited.edits["text"]  # the edit now rests on the new source


def test_the_editor_can_take_the_sources_version(robots):
    edited = edit(robots.turns.get(seq=8), text=ANSWERS[3].replace("三年", "五年"))
    overrides = Overrides(resolutions={f"turn:{edited.number}:text": SOURCE})
    import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md", overrides=overrides)
    edited.refresh_from_db()
    assert "收回成本" in edited.text and "三年" in edited.text and edited.edits == {}


def test_kind_and_speaker_edits_are_kept_too(robots):
    heading = edit(robots.turns.get(seq=1), kind="heading")
    result = import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    heading.refresh_from_db()
    assert heading.kind == "heading" and heading.edits == {"kind": "question"} and result.plan.conflicts == []


def test_a_turn_added_by_an_editor_stays_where_it_was(robots):
    after = robots.turns.get(seq=4)
    Turn.objects.filter(article=robots, seq__gt=4).update(seq=F("seq") + 1000)
    note = Turn.objects.create(article=robots, seq=5, kind="narration", text="编者注：此处采访者追问了仿真平台的名字。")
    assert note.added_by_editor
    import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    order = list(robots.turns.order_by("seq").values_list("pk", flat=True))
    assert order.index(note.pk) == order.index(after.pk) + 1


def test_a_turn_an_editor_removed_stays_removed_unless_they_take_the_source(robots):
    gone = robots.turns.get(seq=6)
    gone.delete()
    result = import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    [conflict] = result.plan.conflicts
    assert conflict.key == f"turn:{gone.number}:removed" and not Turn.objects.filter(number=gone.number).exists()
    again = transcript(corrected_with_new_question_at_top(interview())).replace("毫秒级".encode(), "毫秒量级".encode())
    import_transcript(again, name="robots.md", overrides=Overrides(resolutions={conflict.key: SOURCE}))
    back = Turn.objects.get(number=gone.number)  # the same permalink, the words back
    assert "毫秒量级" in back.text and not RemovedTurn.objects.filter(number=gone.number).exists()


def test_turns_the_source_drops_are_removed_and_come_back_with_their_number(robots):
    pairs = interview()
    dropped = robots.turns.get(seq=10)
    import_transcript(transcript(pairs[:4] + pairs[5:]), name="robots.md")
    assert RemovedTurn.objects.get(number=dropped.number).by_source
    result = import_transcript(transcript(pairs), name="robots.md")
    assert result.plan.conflicts == [] and Turn.objects.get(number=dropped.number).text == dropped.text


def test_an_article_title_edit_is_kept(robots):
    article = Article.objects.get(pk=robots.pk)
    article.title = "林晓舟：机器人先进仓库"
    article.save()
    import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    article.refresh_from_db()
    assert article.title == "林晓舟：机器人先进仓库" and Article.objects.count() == 1


def test_the_command_keeps_the_editors_version_and_names_the_file_and_turns(robots, tmp_path):
    edited = edit(robots.turns.get(seq=8), text=ANSWERS[3].replace("三年", "五年"))
    path = tmp_path / "robots.md"
    path.write_bytes(transcript(corrected_with_new_question_at_top(interview())))
    out = StringIO()
    call_command("import_transcripts", str(path), stdout=out)
    assert f"{path}: kept the editor's version of turn t{edited.number}: text" in out.getvalue()
    assert out.getvalue().startswith("updated") and "12 kept, 0 changed, 2 added, 0 removed" in out.getvalue()
    edited.refresh_from_db()
    assert "五年" in edited.text
    path.write_bytes(path.read_bytes().replace("三年".encode(), "整整三年".encode()))  # the source changes that turn again
    out = StringIO()
    call_command("import_transcripts", str(path), "--take-source", stdout=out)
    edited.refresh_from_db()
    assert f"took the file's version of turn t{edited.number}: text" in out.getvalue() and "整整三年" in edited.text



def test_a_turn_an_editor_changed_stays_when_the_source_drops_it(robots):
    edited = edit(robots.turns.get(seq=10), text=ANSWERS[4] + "（编者核对过录音）")
    pairs = interview()
    result = import_transcript(transcript(pairs[:4] + pairs[5:]), name="robots.md")
    [conflict] = result.plan.conflicts
    assert conflict.key == f"turn:{edited.number}:dropped" and conflict.choice == EDITOR
    kept = Turn.objects.get(number=edited.number)
    assert kept.text == edited.text and kept.added_by_editor
    assert list(robots.turns.order_by("seq").values_list("number", flat=True)).index(kept.number) == 8  # after its old neighbour
