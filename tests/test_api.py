"""The read-only JSON API."""

import pytest

pytestmark = pytest.mark.django_db


def test_articles_lists_the_seeds_newest_first(client, seeded):
    body = client.get("/api/articles/").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert set(first) >= {"slug", "title", "outlet", "published", "script", "speakers", "url"}
    assert [r["published"] for r in body["results"]] == ["2024-03-12", "2024-02-20", None]
    assert first["outlet"] == "南方都市报" and first["speakers"] == ["南都", "王堅"]
    assert first["url"].startswith("http://testserver/interviews/")


def test_articles_paginate(client, seeded):
    body = client.get("/api/articles/?page=2&page_size=2").json()
    assert body["count"] == 3 and body["page"] == 2 and len(body["results"]) == 1


@pytest.mark.parametrize(
    "query, status, message",
    [
        ("page_size=101", 400, "at most 100"),
        ("page_size=0", 400, "at least 1"),
        ("page=abc", 400, "whole number"),
        ("page=9", 404, "does not exist"),
    ],
)
def test_bad_paging_is_a_json_error(client, seeded, query, status, message):
    response = client.get(f"/api/articles/?{query}")
    assert response.status_code == status
    assert message in response.json()["error"]


def test_article_detail_has_speakers_and_turns_with_permalinks(client, seeded):
    slug = seeded["002"].slug
    body = client.get(f"/api/articles/{slug}/").json()
    assert set(body) >= {"slug", "title", "outlet", "published", "script", "source_url", "credits", "speakers", "turns"}
    assert body["credits"] == ["頭圖攝影|鄧攀"]
    assert [(s["name"], s["role"]) for s in body["speakers"]] == [("中國企業家", "asks"), ("周鸿祎", "answers")]
    turn = body["turns"][4]
    stored = seeded["002"].turns.get(seq=5)
    assert turn["id"] == stored.number and turn["seq"] == 5 and turn["kind"] == "question" and turn["speaker"] == "中國企業家"
    assert turn["text_hans"].startswith("Sora 横空出世之后")
    assert turn["url"] == f"http://testserver/t/{stored.number}/#t{stored.number}"
    assert body["turns"][0]["speaker"] is None


def test_unknown_article_is_a_json_404(client, db):
    response = client.get("/api/articles/no-such-thing/")
    assert response.status_code == 404 and response.json()["error"] == "no article 'no-such-thing'"


def test_speakers_list_names_in_every_script_with_counts(client, seeded):
    body = client.get("/api/speakers/").json()
    assert body["count"] == 4
    zhou = next(r for r in body["results"] if r["slug"] == "zhou-hong-yi")
    assert zhou["names"] == ["周鸿祎", "周鴻祎"] and zhou["articles"] == 2 and zhou["turns"] == 22


def test_unknown_endpoints_and_other_methods_are_json_errors(client, db):
    assert client.get("/api/nothing/").json()["status"] == 404
    assert client.post("/api/articles/").status_code == 405


def test_the_api_writes_chinese_as_utf8_not_escapes(client, seeded):
    assert "南方都市报" in client.get("/api/articles/").content.decode("utf-8")


def test_search_exports_the_whole_result_set_as_csv_with_a_header_row(client, seeded):
    import csv
    import io

    response = client.get("/api/search/", {"q": "算力", "format": "csv", "page_size": "5"})
    assert response["Content-Type"] == "text/csv; charset=utf-8" and "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # spreadsheets read it as UTF-8
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    total = client.get("/api/search/", {"q": "算力"}).json()["count"]
    assert len(rows) == total > 5  # every page, not the first five
    assert list(rows[0]) == ["article", "article_title", "outlet", "published", "id", "seq", "kind", "speaker", "text", "start", "url"]
    assert any(row["speaker"] == "王堅" and row["url"].startswith("http://testserver/t/") for row in rows)


def test_search_exports_json_with_the_query_and_filters(client, seeded):
    response = client.get("/api/search/", {"q": "算力", "speaker": "wang-jian", "format": "json"})
    assert response["Content-Type"] == "application/json; charset=utf-8" and "attachment" in response["Content-Disposition"]
    body = response.json()
    assert body["query"] == {"q": "算力", "speaker": "wang-jian"} and body["count"] == body["exported"] == len(body["results"]) > 0
    assert {row["speaker"] for row in body["results"]} == {"王堅"} and "王堅" in response.content.decode("utf-8")


def test_search_export_is_capped_at_ten_thousand_and_says_so(client, seeded, monkeypatch):
    from archive.search import service

    monkeypatch.setattr(service, "EXPORT_LIMIT", 3)
    body = client.get("/api/search/", {"q": "算力", "format": "json"}).json()
    assert body["exported"] == 3 < body["count"] and body["limit"] == 3


def test_search_export_refuses_an_unknown_format(client, db):
    response = client.get("/api/search/", {"q": "算力", "format": "xml"})
    assert response.status_code == 400 and "format" in response.json()["error"]


def test_api_errors_are_english_whatever_the_interface_language(client, db):
    response = client.get("/api/search/", {"q": "x", "from": "soon"}, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "from must be a date" in response.json()["error"]


def test_the_search_apis_results_sort_by_date(client, seeded):
    results = client.get("/api/search/", {"q": "算力", "sort": "oldest", "page_size": "50"}).json()["results"]
    dates = [r["published"] for r in results if r["published"]]
    assert dates == sorted(dates) and results[-1]["published"] is None
