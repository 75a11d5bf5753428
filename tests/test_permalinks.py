"""Permanent turn numbers: every permalink ever issued leads to the words it
cited — after corrections, edits, merges and deletions — or says clearly
that they were removed and shows them."""

import pytest
from django.core.management import call_command

from archive.interviews.importer import import_transcript
from archive.interviews.models import Article, Counter, FormerSlug, LegacyLink, RemovedTurn, Turn
from tests.conftest import settle_constraints
from tests.transcripts import corrected_with_new_question_at_top, interview, transcript

pytestmark = pytest.mark.django_db


@pytest.fixture
def robots(search_index, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return import_transcript(transcript(interview()), name="robots.md").article


def cite(article: Article) -> dict[str, str]:
    """Every turn's permalink and the words it shows now."""
    return {turn.get_absolute_url(): turn.text for turn in article.turns.all()}


def words_at(client, url: str) -> tuple[int, str]:
    """Follow a permalink as a browser would; the status and the targeted turn's words."""
    response = client.get(url, follow=True)
    if response.status_code != 200:
        return response.status_code, response.context["removed"].text if response.context and "removed" in response.context else ""
    target = response.context["target"]
    return 200, target.text if target else ""


def test_a_new_question_near_the_top_moves_no_citation(client, robots, django_capture_on_commit_callbacks):
    cited = cite(robots)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    assert result.status == "updated" and result.plan.counts() == {"kept": 12, "changed": 1, "added": 2, "removed": 0}
    for url, words in cited.items():
        status, now = words_at(client, url)
        assert status == 200 and (now == words or now == words.replace("回本", "收回成本")), url


def test_numbers_are_short_and_the_api_gives_them_as_id(client, robots):
    turn = robots.turns.get(seq=2)
    assert turn.get_absolute_url() == f"/t/{turn.number}/#t{turn.number}"
    api = client.get(f"/api/articles/{robots.slug}/").json()
    assert [t["id"] for t in api["turns"]] == list(robots.turns.values_list("number", flat=True))


def test_a_removed_turn_says_so_with_its_words(client, robots, django_capture_on_commit_callbacks):
    turn = robots.turns.get(seq=4)
    url, words = turn.get_absolute_url(), turn.text
    with django_capture_on_commit_callbacks(execute=True):
        turn.delete()
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 410 and words in page and robots.title in page
    assert robots.get_absolute_url() in page  # the interview it was part of, as it is now
    assert "被删除" in page or "removed" in page


def test_a_turn_merged_into_its_neighbour_leads_there(client, robots, django_capture_on_commit_callbacks):
    first, second = robots.turns.get(seq=2), robots.turns.get(seq=4)
    url = second.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        first.text = f"{first.text}\n{second.text}"
        first.save()
        second.delete()
    response = client.get(url, {"q": "仿真"})
    assert response.status_code == 301
    assert response["Location"].startswith(f"/t/{first.number}/?q=") and response["Location"].endswith(f"#t{first.number}")


def test_numbers_are_never_given_twice_even_after_a_restore(robots, tmp_path, django_capture_on_commit_callbacks):
    last = robots.turns.order_by("-number").first()
    with django_capture_on_commit_callbacks(execute=True):
        last.delete()
    call_command("backup", output=str(tmp_path / "b.tar.gz"), verbosity=0)
    settle_constraints()
    call_command("restore", str(tmp_path / "b.tar.gz"), replace=True, verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = Turn.objects.create(article=Article.objects.get(), seq=99, kind="narration", text="后记。")
    assert fresh.number > last.number and RemovedTurn.objects.filter(number=last.number).exists()


def test_links_issued_before_numbers_redirect_to_the_words_they_cited(client, robots, django_capture_on_commit_callbacks):
    """Migration 0003 turned every /interviews/<slug>/<seq>/ into a LegacyLink."""
    old = {seq: turn for seq, turn in ((t.seq, t) for t in robots.turns.all())}
    LegacyLink.objects.bulk_create(LegacyLink(slug=robots.slug, seq=seq, number=t.number) for seq, t in old.items())
    with django_capture_on_commit_callbacks(execute=True):
        import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    response = client.get(f"/interviews/{robots.slug}/5/")
    assert response.status_code == 301 and response["Location"] == old[5].get_absolute_url()
    assert words_at(client, f"/interviews/{robots.slug}/5/") == (200, old[5].text)
    assert client.get(f"/interviews/{robots.slug}/99/").status_code == 404


def test_the_migration_numbers_turns_and_keeps_their_old_links(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("interviews", "0002_staged_upload")])
    apps = executor.loader.project_state([("interviews", "0002_staged_upload")]).apps
    OldArticle, OldTurn = apps.get_model("interviews", "Article"), apps.get_model("interviews", "Turn")
    article = OldArticle.objects.create(slug="jiu-wen", title="旧文", import_ref="x", source=b"", source_hash="0")
    turns = [OldTurn.objects.create(article=article, seq=seq, kind="answer", text=f"第{seq}段", text_hans="", text_hant="")
             for seq in (1, 2, 3)]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(Turn.objects.order_by("seq").values_list("number", flat=True)) == [t.pk for t in turns]
    assert {(link.slug, link.seq, link.number) for link in LegacyLink.objects.all()} == {("jiu-wen", t.seq, t.pk) for t in turns}
    assert Counter.objects.get(name="turn").value == turns[-1].pk


def test_an_interview_whose_slug_changes_keeps_its_old_address(client, robots):
    old = robots.get_absolute_url()
    robots.slug = "lin-xiao-zhou-tan-ji-qi-ren"
    robots.save()
    response = client.get(old + "?q=仓库")
    assert response.status_code == 301 and response["Location"].startswith(robots.get_absolute_url())
    assert FormerSlug.objects.get(slug=old.strip("/").split("/")[-1]).article == robots
    assert client.get(robots.turns.first().get_absolute_url()).status_code == 200  # turn links never had the slug


def test_a_deleted_interview_says_it_was_removed_and_its_turns_keep_their_words(client, robots, django_capture_on_commit_callbacks):
    url, turn = robots.get_absolute_url(), robots.turns.get(seq=2)
    with django_capture_on_commit_callbacks(execute=True):
        robots.delete()
    assert client.get(url).status_code == 410
    assert words_at(client, turn.get_absolute_url()) == (410, turn.text)


def test_a_citation_names_the_turn_by_its_number_which_a_correction_keeps(client, robots, django_capture_on_commit_callbacks):
    """A corrected source with a new question near the top moves the turn two
    places down; every citation format still names it as before, and says
    where it stood only as where it stood when accessed."""
    turn = robots.turns.get(seq=5)

    def citations() -> dict[str, str]:
        return {form: client.get(turn.permalink_path(), {"cite": form}).content.decode() for form in ("text", "bibtex", "ris", "csl")}

    before = citations()
    with django_capture_on_commit_callbacks(execute=True):
        import_transcript(transcript(corrected_with_new_question_at_top(interview())), name="robots.md")
    turn.refresh_from_db()
    after = citations()
    assert turn.seq == 7
    for form in before:
        assert f"t{turn.number}" in before[form] and f"t{turn.number}" in after[form], form
    assert "段落 t%d（访问时为第 5 段）" % turn.number in before["text"] and "段落 t%d（访问时为第 7 段）" % turn.number in after["text"]
    key = before["bibtex"].split("\n")[0]
    assert key == after["bibtex"].split("\n")[0] and key.endswith(f"t{turn.number},")
    assert '"locator": "t%d"' % turn.number in after["csl"] and "position 7 when accessed" in after["ris"]


def test_pages_and_feeds_name_a_turn_by_its_number(client, robots):
    turn = robots.turns.get(text__contains="回本")
    reference = f"t{turn.number}"
    results = client.get("/search/", {"q": "回本"}).content.decode()
    assert f'<a class="permalink" href="{turn.permalink_path()}' in results and f">{reference}</a>" in results
    assert f"{reference}</span>" in client.get("/search/", {"q": "回本", "view": "context"}).content.decode()
    assert f"{robots.title} {reference}</title>" in client.get("/search/feed/", {"q": "回本"}).content.decode()
    speaker = turn.speaker.get_absolute_url()
    assert f"{robots.title} {reference}</a>" in client.get(speaker).content.decode()
    assert f'aria-label="段落 {reference}"' in client.get(robots.get_absolute_url()).content.decode()
