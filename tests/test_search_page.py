"""The search page a researcher works in (issue 14): errors, filters that stay,
names on the chips, answers only, dates, views, the timeline, the syntax help."""

import re

import pytest
from django.utils.html import strip_tags

pytestmark = pytest.mark.django_db


def get(client, language="zh-CN", **params):
    return client.get("/search/", params, HTTP_ACCEPT_LANGUAGE=language)


def text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_a_page_past_the_last_is_a_clear_error_not_a_500(client, seeded):
    response = get(client, q="鸡蛋", page="2")
    assert response.status_code == 400
    assert "第 2 页不存在" in text(response)
    assert 'href="?q=%E9%B8%A1%E8%9B%8B"' in response.content.decode()  # back to the first page


def test_a_page_past_the_last_grouped_by_interview_is_an_error_too(client, seeded):
    assert get(client, q="鸡蛋", page="2", view="grouped").status_code == 400


def test_filter_chips_name_the_speaker_outlet_and_interview_not_their_slugs(client, seeded):
    page = text(get(client, q="算力", speaker="wang-jian", outlet="nan-fang-du-shi-bao", article=seeded["003"].slug))
    assert "人物: 王堅" in page and "wang-jian ×" not in page
    assert "媒体: 南方都市报" in page
    assert f"访谈: {seeded['003'].title}" in page


def test_the_header_search_box_carries_the_active_filters_to_a_new_query(client, seeded):
    html = get(client, q="算力", speaker="wang-jian", kind="answer", sort="newest", view="context").content.decode()
    header = re.search(r'<header class="site">.*?</header>', html, re.S).group(0)
    for name, value in (("speaker", "wang-jian"), ("kind", "answer"), ("sort", "newest"), ("view", "context")):
        assert f'<input type="hidden" name="{name}" value="{value}">' in header
    # so a new query typed there keeps them:
    page = text(get(client, q="商业化", speaker="wang-jian", kind="answer"))
    assert "人物: 王堅" in page and "类型: 回答" in page


def test_a_chip_removes_only_its_filter(client, seeded):
    html = get(client, q="算力", speaker="wang-jian", kind="answer").content.decode()
    chip = re.search(r'<a class="chip" href="([^"]+)"[^>]*>人物', html).group(1)
    assert "kind=answer" in chip and "speaker" not in chip


def test_the_speaker_filter_lists_the_most_heard_and_suggests_the_rest_by_name(client, seeded, monkeypatch):
    from archive.search import views

    monkeypatch.setattr(views, "FACET_SHOWN", 1)  # the seeds have few speakers; a common word has hundreds
    response = get(client, q="算力")
    speakers = response.context["found"].facets["speaker"]
    html = response.content.decode()
    select = re.search(r'<select id="refine-speaker".*?</select>', html, re.S).group(0)
    assert f'value="{speakers[0]["value"]}"' in select and speakers[1]["value"] not in select
    datalist = re.search(r'<datalist id="refine-speaker-names">(.*?)</datalist>', html, re.S).group(1)
    assert [f'<option value="{s["name"]}">({s["count"]})</option>' for s in speakers[1:]] == re.findall(r"<option.*?</option>", datalist)
    assert 'name="speaker_name" list="refine-speaker-names"' in html


def test_a_speaker_typed_by_name_in_either_script_filters_by_that_speaker(client, seeded):
    for name in ("王坚", "王堅"):
        response = get(client, q="算力", speaker_name=name, kind="answer", page="2")
        assert response.status_code == 302
        assert response["Location"] == "/search/?q=%E7%AE%97%E5%8A%9B&kind=answer&speaker=wang-jian"
    unknown = get(client, q="算力", speaker_name="王五")
    assert unknown.status_code == 400 and "没有名叫“王五”的人物" in text(unknown)
    assert 'href="?q=%E7%AE%97%E5%8A%9B"' in unknown.content.decode()  # back to the search without it


def test_answers_only_is_a_filter_on_the_page(client, seeded):
    html = get(client, q="算力").content.decode()
    assert '<input type="checkbox" name="kind" value="answer">' in html
    answers = get(client, q="算力", kind="answer")
    assert all(hit.turn.kind == "answer" for hit in answers.context["found"].hits)
    assert answers.context["found"].total < get(client, q="算力").context["found"].total


def test_dates_from_to_and_unknown_are_filters_on_the_page(client, seeded):
    html = get(client, q="算力").content.decode()
    assert 'type="date" name="from"' in html and 'type="date" name="to"' in html and 'name="undated"' in html
    dated = get(client, q="算力", **{"from": "2024-03-01", "to": "2024-03-31"}).context["found"]
    assert dated.total and {hit.turn.article.published.month for hit in dated.hits} == {3}
    undated = get(client, q="算力", undated="1")
    assert {hit.turn.article.published for hit in undated.context["found"].hits} == {None}
    assert "日期: 日期不详" in text(undated)


def test_the_year_facet_counts_the_undated_too(client, seeded):
    response = get(client, q="算力")
    years = next(group for group in response.context["facets"] if group["label"] == "年份")["items"]
    assert sum(item["count"] for item in years) == response.context["found"].total
    assert any(item["name"] == "日期不详" and "undated=1" in item["url"] for item in years)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date_is_offered_and_kept(client, seeded, sort):
    html = get(client, q="算力", sort=sort, page_size="5").content.decode()
    assert f'<option value="{sort}" selected>' in html
    next_page = re.search(r'<a href="([^"]+)" rel="next">', html).group(1)
    assert f"sort={sort}" in next_page


def test_the_date_error_is_in_the_readers_language(client, db):
    response = get(client, q="x", **{"from": "yesterday"})
    assert response.status_code == 400
    assert "from 必须是日期" in text(response)
    assert "must be a date" in text(get(client, "en", q="x", **{"from": "yesterday"}))


def test_an_empty_query_explains_the_query_syntax(client, db):
    page = text(get(client, q=""))
    assert "如何搜索" in page
    for example in ('"百模大战"', "-周鸿祎", "OR"):
        assert example in page
    assert 'name="q"' in get(client).content.decode()


def test_a_query_of_excluded_words_alone_says_why_it_finds_nothing(client, seeded):
    page = text(get(client, q="-算力"))
    assert "只有排除词（-词）的查询找不到东西" in page


def test_results_explain_the_syntax_too(client, seeded):
    assert "如何搜索" in text(get(client, q="算力"))


def test_on_a_phone_the_filters_come_before_the_results_in_the_page(client, seeded):
    """The narrow layout is one column in document order (archive.css): the
    filters must be written before the hits to be read first."""
    html = get(client, q="算力").content.decode()
    assert html.index('class="refine"') < html.index('class="hits"') or html.index('class="refine-form"') < html.index('class="hit ')


def test_grouped_view_shows_each_interviews_hit_count_and_expands(client, seeded):
    response = get(client, q="算力", view="grouped")
    groups = response.context["found"].groups
    assert sum(group.total for group in groups) == response.context["found"].total
    assert {group.article.slug for group in groups} == {a.slug for a in seeded.values()} - {seeded["002"].slug} | (
        {seeded["002"].slug} if any(g.article == seeded["002"] for g in groups) else set())
    html = response.content.decode()
    assert "处命中" in text(response)
    biggest = max(groups, key=lambda group: group.total)
    if biggest.total > 3:
        assert '<details class="more-hits">' in html


def test_grouped_view_orders_interviews_by_date_when_asked(client, seeded):
    groups = get(client, q="算力", view="grouped", sort="newest").context["found"].groups
    dates = [group.article.published for group in groups]
    assert dates == sorted([d for d in dates if d], reverse=True) + [d for d in dates if d is None]


def test_concordance_view_aligns_each_hit_on_its_match(client, seeded):
    html = get(client, q="鸡蛋", view="context").content.decode()
    line = re.search(r'<ol class="concordance">.*?</ol>', html, re.S).group(0)
    assert re.search(r'<span class="before">[^<]*</span><mark>雞蛋</mark><span class="after">[^<]*</span>', line)
    assert f"#{seeded['002'].turns.get(seq=14).anchor}-p9" in line


def test_the_view_switch_keeps_the_query_and_filters(client, seeded):
    views = get(client, q="算力", speaker="wang-jian").context["views"]
    assert {view["name"] for view in views} == {"list", "grouped", "context"}
    assert all("speaker=wang-jian" in view["url"] and "q=" in view["url"] for view in views)


def test_a_timeline_of_hits_is_drawn_as_svg_without_script(client, seeded):
    html = get(client, q="算力").content.decode()
    svg = re.search(r'<svg role="img".*?</svg>', html, re.S).group(0)
    assert svg.count('<rect class="bar"') == 2  # February and March 2024
    assert "from=2024-03-01&amp;to=2024-03-31" in svg
    assert "style=" not in svg and "<script" not in svg
    assert "日期不详" in text(get(client, q="算力"))  # and how many are undated


def test_results_link_to_exports_and_a_feed_of_the_same_search(client, seeded):
    html = get(client, q="算力", speaker="wang-jian").content.decode()
    assert "/api/search/?q=%E7%AE%97%E5%8A%9B&amp;speaker=wang-jian&amp;format=csv" in html
    assert "/search/feed/?q=%E7%AE%97%E5%8A%9B&amp;speaker=wang-jian" in html
    assert 'type="application/atom+xml"' in html


def test_interview_and_speaker_pages_search_within_themselves(client, seeded):
    article = seeded["003"]
    html = client.get(article.get_absolute_url()).content.decode()
    form = re.search(r'<form class="search-box within".*?</form>', html, re.S).group(0)
    assert f'<input type="hidden" name="article" value="{article.slug}">' in form
    html = client.get("/speakers/wang-jian/").content.decode()
    form = re.search(r'<form class="search-box within".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="speaker" value="wang-jian">' in form
    found = get(client, q="算力", article=article.slug).context["found"]
    assert found.total and {hit.turn.article for hit in found.hits} == {article}


def test_a_search_has_an_atom_feed_of_its_newest_matching_turns_dated_by_interview(client, seeded):
    response = client.get("/search/feed/", {"q": "算力", "speaker": "wang-jian"})
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    entries = re.findall(r"<entry>.*?</entry>", feed, re.S)
    assert len(entries) == get(client, q="算力", speaker="wang-jian").context["found"].total
    assert all("<updated>2024-03-12T00:00:00+08:00</updated>" in entry for entry in entries)
    assert all("王堅" in entry for entry in entries) and "#t" in entries[0]
    assert "<script" not in feed


def test_a_search_feed_lists_the_newest_interviews_first(client, seeded):
    feed = client.get("/search/feed/", {"q": "算力"}).content.decode()
    dates = re.findall(r"<published>(.*?)</published>", feed)
    assert dates[0].startswith("2024-03-12") and dates == sorted(dates[: len(dates) - 1], reverse=True) + dates[len(dates) - 1 :]


def test_a_search_feed_without_a_query_or_with_a_bad_filter_is_not_found(client, db):
    assert client.get("/search/feed/").status_code == 404
    assert client.get("/search/feed/", {"q": "x", "kind": "poem"}).status_code == 404


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_each_interviews_hits_are_the_same_whether_the_scan_covers_every_hit_or_few(client, seeded, monkeypatch, sort):
    """Past the scan, interviews are ordered by their number of hits (or by
    date); what each holds does not depend on the scan."""
    from archive.search import service

    def groups():
        found = service.search_grouped(service.SearchRequest(q="算力", sort=sort))
        return [(g.article.slug, g.total, [hit.turn.pk for hit in g.hits]) for g in found.groups]

    whole = groups()
    monkeypatch.setattr(service, "GROUP_SCAN", 2)
    few = groups()
    assert sorted(few) == sorted(whole)
    if sort != "relevance":
        assert few == whole
