"""Quote search over the seeds: scripts, single characters, phrases, operators,
English, filters, facets, highlighting and malformed queries."""

import re

import pytest
from django.utils.html import strip_tags

from archive.search.service import InvalidSearch, SearchRequest, search

pytestmark = pytest.mark.django_db


def found(q, **filters):
    return [(hit.turn.article.slug[:4], hit.turn.seq) for hit in search(SearchRequest(q=q, **filters)).hits]


def test_a_simplified_query_finds_traditional_text(seeded):
    assert found("鸡蛋") == found("雞蛋") == [("zhou", 14)]


def test_both_scripts_of_a_word_find_the_same_answer(seeded):
    assert found("瘋牛病") == found("疯牛病") == [("zhou", 30)]


def test_one_character_queries_work(seeded):
    assert ("zhou", 14) in found("猫")
    assert set(found("雪")) == {("zhou", 14), ("zhou", 3)}


def test_a_speaker_name_finds_that_speakers_turns(seeded):
    hits = search(SearchRequest(q="王坚 开源", page_size=50)).hits
    assert {hit.turn.seq for hit in hits} >= {13, 27}
    assert all(hit.turn.article.slug.startswith("a-li-yun") for hit in hits)
    assert len(found("周鸿祎", page_size=50)) >= 22


def test_a_word_only_in_the_title_does_not_return_every_turn(seeded):
    assert len(found('"百模大战"')) == 4


def test_all_words_must_match(seeded):
    assert found("鸡蛋 狗头") == [("zhou", 14)]
    assert found("鸡蛋 英伟达") == []


def test_quoted_phrases_match_as_phrases(seeded):
    assert found('"雪花被揚起來"') == [("zhou", 14)]
    assert found('"雪花揚起"') == []


def test_minus_excludes(seeded):
    with_zhou = found("英伟达")
    assert any(slug == "zhui" for slug, _ in with_zhou)
    assert all(slug != "zhui" and slug != "zhou" for slug, _ in found("英伟达 -周鸿祎"))


def test_or_matches_either(seeded):
    assert set(found("Gemini OR 疯牛病")) == set(found("Gemini")) | set(found("疯牛病"))


def test_english_terms_are_case_insensitive_and_split_from_numbers(seeded):
    assert found("openai") == found("OpenAI") != []
    assert ("zhou", 8) in found("Gemini")  # written Gemini1.5
    assert found("gpt-4") == found("GPT-4") != []
    assert set(found("gpt-4")) != set(found("gpt"))


def test_filters_narrow_results(seeded):
    assert all(slug == "a-li" for slug, _ in found("算力", speaker="wang-jian"))
    assert all(slug == "zhou" for slug, _ in found("算力", outlet="zhong-guo-qi-ye-jia"))
    assert all(slug == "zhui" for slug, _ in found("算力", article=seeded["000"].slug))
    kinds = {hit.turn.kind for hit in search(SearchRequest(q="算力", kind="answer")).hits}
    assert kinds == {"answer"}
    import datetime

    dated = found("算力", date_from=datetime.date(2024, 3, 1), date_to=datetime.date(2024, 3, 31))
    assert dated and all(slug == "a-li" for slug, _ in dated)
    assert all(slug in ("zhou", "a-li") for slug, _ in found("算力", script="hant"))


def test_undated_interviews_have_a_year_bucket_so_the_years_add_up_to_every_hit(seeded):
    page = search(SearchRequest(q="算力"))
    assert sum(f["count"] for f in page.facets["year"]) == page.total
    unknown = next(f for f in page.facets["year"] if f["value"] == "unknown")
    assert unknown["count"] == search(SearchRequest(q="算力", undated=True)).total > 0
    assert {hit.turn.article.published for hit in search(SearchRequest(q="算力", undated=True)).hits} == {None}


def test_months_count_hits_by_the_interviews_publication_month(seeded):
    months = {f["value"]: f["count"] for f in search(SearchRequest(q="算力")).facets["month"]}
    assert set(months) == {"2024-02", "2024-03"}
    assert months["2024-03"] == search(SearchRequest(q="算力", outlet="nan-fang-du-shi-bao", date_from=__import__("datetime").date(2024, 3, 1))).total


@pytest.mark.parametrize("sort, dates", [("newest", ["2024-03-12", "2024-02-20", None]), ("oldest", ["2024-02-20", "2024-03-12", None])])
def test_results_sort_by_interview_date_with_undated_last(seeded, sort, dates):
    hits = search(SearchRequest(q="算力", sort=sort, page_size=50)).hits
    published = [hit.turn.article.published.isoformat() if hit.turn.article.published else None for hit in hits]
    assert list(dict.fromkeys(published)) == dates
    assert len(hits) == search(SearchRequest(q="算力", page_size=50)).total


def test_the_second_page_in_date_order_continues_the_first(seeded):
    first = [h.turn.pk for h in search(SearchRequest(q="算力", sort="oldest", page_size=5)).hits]
    second = [h.turn.pk for h in search(SearchRequest(q="算力", sort="oldest", page_size=5, page=2)).hits]
    every = [h.turn.pk for h in search(SearchRequest(q="算力", sort="oldest", page_size=10)).hits]
    assert first + second == every


def test_a_filter_on_an_article_that_does_not_exist_finds_nothing_and_says_what_to_drop(seeded):
    page = search(SearchRequest(q="算力", article="no-such-article"))
    assert page.total == 0
    assert [s["filter"] for s in page.suggestions if s["kind"] == "drop_filter"] == ["article"]


def test_facets_count_speakers_outlets_and_years(seeded):
    facets = search(SearchRequest(q="算力")).facets
    assert {f["name"] for f in facets["speaker"]} >= {"周鸿祎", "王堅"}
    assert {f["value"] for f in facets["year"]} == {"2024", "unknown"}
    assert sum(f["count"] for f in facets["outlet"]) <= search(SearchRequest(q="算力")).total


def test_facet_names_follow_a_rename_and_a_new_title(seeded, django_capture_on_commit_callbacks):
    """Names are read once per index generation and shared by every search;
    renaming changes the index, so the next search names afresh."""
    from archive.interviews.models import Speaker

    assert "王堅" in {f["name"] for f in search(SearchRequest(q="开源")).facets["speaker"]}
    article = seeded["003"]
    with django_capture_on_commit_callbacks(execute=True):
        Speaker.objects.filter(slug="wang-jian").update(name="王坚博士")  # a bulk write: the index follows it too
        article.title = "王坚谈开源（修订）"
        article.save()
    facets = search(SearchRequest(q="算力")).facets
    assert "王坚博士" in {f["name"] for f in facets["speaker"]} and "王堅" not in {f["name"] for f in facets["speaker"]}
    assert {"value": article.slug, "name": "王坚谈开源（修订）", "count": next(f["count"] for f in facets["article"] if f["value"] == article.slug)} in facets["article"]


def test_a_different_search_names_nothing_already_named(seeded, monkeypatch):
    """Naming a common word's interviews is most of a first search for it at
    a million turns; another search among the same interviews reads no names."""
    from archive.search import service

    search(SearchRequest(q="算力"))
    read = []
    monkeypatch.setattr(service.facet_names, "READ", {facet: lambda values, facet=facet: read.append((facet, values)) or ()
                                                      for facet in service.facet_names.READ})
    page = search(SearchRequest(q="算力", kind="answer"))  # its speakers, outlets and interviews are among the first's
    assert page.facets["speaker"] and read == []


def test_highlights_are_in_the_published_script_at_the_right_place(seeded):
    hit = search(SearchRequest(q="鸡蛋")).hits[0]
    assert "生<mark>雞蛋</mark>打在狗頭上" in hit.highlighted
    assert "<mark>雞蛋</mark>" in hit.snippet
    english = search(SearchRequest(q="ai", article=seeded["002"].slug)).hits[0]
    assert "<mark>AI</mark>" in english.highlighted and "s<mark>ai</mark>" not in english.highlighted.lower()


def test_highlighted_text_is_escaped(seeded):
    hit = search(SearchRequest(q="阿凡达")).hits[0]
    assert "《阿凡達》" in hit.highlighted or "《<mark>阿凡達</mark>》" in hit.highlighted


@pytest.mark.parametrize("q", ['"unbalanced', "OR", "-", "AND OR NOT", "speaker:王坚", "text:(", "*", "\\", "a" * 2000, "鸡" * 2000, '""', "(((", "x" * 50 + " OR " * 30])
def test_malformed_queries_never_fail(seeded, q):
    page = search(SearchRequest(q=q))
    assert page.total >= 0


def test_overlong_queries_say_they_were_shortened(seeded):
    assert search(SearchRequest(q="算力 " * 500)).notes


def test_only_excluded_words_explain_themselves(seeded):
    page = search(SearchRequest(q="-算力"))
    assert page.total == 0 and page.notes


def test_no_hits_under_a_filter_say_how_many_there_are_without_it(seeded):
    page = search(SearchRequest(q="鸡蛋", speaker="wang-jian"))
    assert page.total == 0
    assert [s["filter"] for s in page.suggestions if s["kind"] == "drop_filter"] == ["speaker"]


def test_words_that_are_never_together_give_the_turns_holding_most_of_them(seeded):
    page = search(SearchRequest(q="鸡蛋 量子计算"))  # there was a "fewer words" suggestion; the closest matches replace it
    assert page.total == 0 and not page.suggestions
    assert (page.closest[0].turn.article.slug[:4], page.closest[0].turn.seq) == ("zhou", 14)
    assert page.closest[0].matched == 2 and page.words == 3  # 鸡蛋 and 计算, of 鸡蛋 量子 计算


@pytest.mark.parametrize("params, message", [({"kind": "poem"}, "kind"), ({"from": "yesterday"}, "from"), ({"page": "0"}, "page"), ({"page_size": "500"}, "page_size"),
                                             ({"sort": "random"}, "sort"), ({"page": "²"}, "page"), ({"undated": "maybe"}, "undated"), ({"undated": "1", "from": "2024-01-01"}, "undated")])
def test_bad_filters_are_named(params, message):
    with pytest.raises(InvalidSearch, match=message):
        SearchRequest.from_params(params)


def test_search_api_returns_results_facets_and_highlights(client, seeded):
    body = client.get("/api/search/", {"q": "鸡蛋"}).json()
    assert body["count"] == 1
    result = body["results"][0]
    assert set(result) >= {"article", "article_title", "seq", "kind", "speaker", "text", "highlighted", "url"}
    assert result["speaker"] == "周鸿祎" and result["kind"] == "answer" and "<mark>雞蛋</mark>" in result["highlighted"]
    turn = seeded["002"].turns.get(seq=14)
    assert result["id"] == turn.number  # 鸡蛋 is in the ninth paragraph of a long answer
    assert result["url"].endswith(f"/t/{turn.number}/?q=%E9%B8%A1%E8%9B%8B#t{turn.number}-p9")
    assert set(body["facets"]) == {"speaker", "outlet", "year", "month", "article"}


def test_search_api_rejects_bad_filters_as_json(client, db):
    response = client.get("/api/search/", {"q": "x", "to": "soon"})
    assert response.status_code == 400 and "to must be a date" in response.json()["error"]


def test_search_page_shows_snippets_facets_and_links_that_carry_the_query(client, seeded):
    page = client.get("/search/", {"q": "鸡蛋"}).content.decode()
    assert "<mark>雞蛋</mark>" in page and "找到 1 段" in page
    turn = seeded["002"].turns.get(seq=14)
    assert f"/t/{turn.number}/?q=%E9%B8%A1%E8%9B%8B#t{turn.number}" in page
    assert "周鸿祎" in page


def test_search_page_with_no_hits_says_so(client, seeded):
    page = client.get("/search/", {"q": "鸡蛋", "speaker": "wang-jian"}).content.decode()
    assert "没有找到" in page and "去掉筛选后有" in page


def test_search_page_with_a_bad_filter_says_what_is_wrong(client, db):
    response = client.get("/search/", {"q": "x", "kind": "poem"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "kind must be one of" in response.content.decode()
    assert "kind 必须是" in client.get("/search/", {"q": "x", "kind": "poem"}, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()


def test_the_landing_page_highlights_the_query_in_both_columns(client, seeded):
    page = client.get(seeded["002"].turns.get(seq=14).permalink_path(), {"q": "鸡蛋"}).content.decode()
    marked = {strip_tags(html) for html in re.findall(r"<mark>(.*?)</mark>", page)}  # differing characters are underlined inside
    assert {"鸡蛋", "雞蛋"} <= marked


def test_a_character_inside_a_word_and_at_a_phrase_end_is_found(seeded):
    # 猫 is indexed inside the pair that starts with it; a phrase ending in a lone character matches it as a prefix
    assert found("雞") == found("鸡")
    assert ("zhou", 14) in found('"鸡蛋"') and ("zhou", 14) in found('"鸡"')
    assert found('"openai 都"') == found('"OpenAI都"')


@pytest.mark.parametrize("processes", [1, 2])
def test_rebuild_index_restores_the_same_results_and_empties_the_queue(seeded, processes):
    from django.core.management import call_command

    from archive.search.models import PendingUpdate
    from tests.conftest import indexed

    before = {q: found(q, page_size=50) for q in ("鸡蛋", "周鸿祎", '"百模大战"', "openai", "英伟达 -周鸿祎")}
    PendingUpdate.objects.create(article_id=seeded["000"].pk)
    call_command("rebuild_index", "--noinput", processes=processes, verbosity=0)
    assert indexed() == 86 and not PendingUpdate.objects.exists()
    assert {q: found(q, page_size=50) for q in before} == before


def test_haystack_update_index_goes_through_the_same_documents(seeded):
    from django.core.management import call_command

    from archive.search.backend import search_backend
    from tests.conftest import indexed

    search_backend().clear()
    call_command("update_index", verbosity=0)
    assert indexed() == 86 and found("鸡蛋") == [("zhou", 14)]
    call_command("update_index", verbosity=0)  # again: replaces, never duplicates
    assert indexed() == 86


@pytest.mark.parametrize("taiwan, mainland", [("晶片", "芯片"), ("輝達", "英伟达"), ("人工智慧", "人工智能"), ("影片", "视频")])
def test_taiwan_and_mainland_wordings_find_each_other_both_ways(seeded, taiwan, mainland):
    assert set(found(taiwan, page_size=50)) == set(found(mainland, page_size=50)) != set()


def test_the_other_wording_is_said_and_highlighted_as_it_is_written(seeded):
    page = search(SearchRequest(q="輝達"))
    assert page.vocabulary == [{"typed": "輝達", "also": ["英偉達"]}]  # as the reader wrote it, in their script
    assert any("<mark>英偉達</mark>" in hit.highlighted for hit in page.hits)  # 003 is Traditional, Mainland wording
    assert any("<mark>英伟达</mark>" in hit.highlighted for hit in page.hits)


def test_a_quote_remembered_differently_gives_the_turns_holding_most_of_its_words(seeded):
    page = search(SearchRequest(q="大模型的红利期已经过去了"))  # the text says it has not begun
    assert page.total == 0
    closest = [(hit.turn.article.slug[:4], hit.turn.seq) for hit in page.closest]
    assert {("zhui", 17), ("zhui", 18)} <= set(closest[:3])
    assert "<mark>红利期</mark>" in page.closest[0].snippet


def test_closest_matches_do_not_change_when_turns_are_indexed_again(seeded, monkeypatch):
    """Re-indexing leaves the old documents deleted in their segments until a
    merge; they must not count towards how rare a word is."""
    from django.conf import settings

    from archive.search import backend
    from archive.search.backend import search_backend
    from archive.search.indexing import reindex_articles

    from whoosh.writing import NO_MERGE

    monkeypatch.setattr(backend, "merge_small", NO_MERGE)  # the segments kept, with their deleted documents

    def closest() -> list[int]:
        return [hit.turn.pk for hit in search(SearchRequest(q="大模型的红利期已经过去了")).closest]

    before = closest()
    reindex_articles([article.pk for article in seeded.values()][:2])
    if settings.SEARCH_BACKEND == "whoosh":  # PostgreSQL deletes rows outright
        with search_backend().searching() as searcher:
            assert searcher.doc_count_all() > searcher.doc_count()
    assert closest() == before


def test_closest_matches_in_the_querys_order_come_first(seeded):
    from archive.search.service import _in_order

    assert _in_order([3, 10, 25]) == 3 and _in_order([25, 3, 10]) == 2 and _in_order([]) == 0


def test_exact_matches_come_before_closest_ones_and_are_not_repeated(seeded):
    page = search(SearchRequest(q="大模型 红利期 开始"))
    exact = {hit.turn.pk for hit in page.hits}
    assert 0 < page.total < 3 and page.closest
    assert not exact & {hit.turn.pk for hit in page.closest}


def test_the_search_page_says_how_the_query_was_read_and_sets_closest_matches_apart(client, seeded):
    page = client.get("/search/", {"q": "jidan"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "“jidan”也按拼音查找：鸡蛋。" in page and "<mark>雞蛋</mark>" in page
    page = client.get("/search/", {"q": "晶片"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "“晶片”也按海峡对岸的说法查找：芯片。" in page
    page = client.get("/search/", {"q": "大模型的红利期已经过去了"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Closest matches" in page and "No turn holds every word." in page and "2 of 4 words" in page


def test_the_search_api_gives_readings_and_closest_matches(client, seeded):
    body = client.get("/api/search/", {"q": "jidan"}).json()
    assert body["pinyin"] == [{"typed": "jidan", "read_as": ["鸡蛋"]}] and body["count"] == 1
    body = client.get("/api/search/", {"q": "鸡蛋 量子计算"}).json()
    assert body["count"] == 0 and body["closest"][0]["seq"] == 14
    assert body["closest"][0]["words_held"] == 2 and body["closest"][0]["words"] == 3


def test_answers_come_first_and_captions_do_not_win_on_shortness(seeded):
    kinds = [hit.turn.kind for hit in search(SearchRequest(q="Sora", page_size=10)).hits]
    assert kinds[:3] == ["answer"] * 3 and kinds.count("answer") >= 8
    # The same words in a caption, a question and an answer: the answer first.
    from archive.search.scoring import bm25, kind_weight

    short, average = bm25(2.0, 1, 6, 100.0, 0.75, 1.2), bm25(2.0, 1, 100, 100.0, 0.75, 1.2)
    assert short == average  # shorter than the average earns nothing
    assert bm25(2.0, 1, 400, 100.0, 0.75, 1.2) < average  # longer still costs
    assert kind_weight("answer") > kind_weight("question") > kind_weight("caption")


@pytest.mark.parametrize("query", ["鸡蛋", "算", "jidan", "大模型的红利期已经过去", "算力 -周鸿祎"])
def test_an_empty_archive_answers_every_kind_of_query_with_no_hits(client, db, search_index, query):
    """A new deployment before its first import: nothing found, not 'search unavailable'."""
    assert client.get("/api/search/", {"q": query}).json()["count"] == 0
    assert client.get("/search/", {"q": query}).status_code == 200
    assert client.get("/search/", {"q": query, "view": "grouped"}).status_code == 200
