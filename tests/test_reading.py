"""What a reader gets beyond the text: the original-script marker, the
characters that differ, citations, the interface languages, feed, sitemap
and sharing tags (the browser side is in test_browser.py)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_published_script_is_marked_original_and_the_other_underlines_what_differs(client, seeded):
    page = client.get(seeded["003"].get_absolute_url()).content.decode()  # published in Traditional
    assert 'class="rendering hant original" lang="zh-Hant"' in page
    assert 'class="rendering hans" lang="zh-Hans"' in page
    anchor = seeded["003"].turns.get(seq=2).anchor
    simplified = re.search(rf'id="{anchor}".*?class="rendering hans" lang="zh-Hans">(.*?)</div>', page, re.S).group(1)
    traditional = re.search(rf'id="{anchor}".*?class="rendering hant original" lang="zh-Hant">(.*?)</div>', page, re.S).group(1)
    assert '<span class="changed">' in simplified and '<span class="changed">' not in traditional
    # a Simplified original underlines in the Traditional column instead
    page = client.get(seeded["000"].get_absolute_url()).content.decode()
    assert 'class="rendering hans original" lang="zh-Hans"' in page


def test_each_turn_has_a_permalink_and_a_citation(client, seeded):
    article = seeded["002"]
    page = client.get(article.get_absolute_url()).content.decode()
    turn = article.turns.get(seq=14)
    assert f'href="{turn.get_absolute_url()}"' in page
    citation = re.search(rf'id="{turn.anchor}".*?data-citation="(.*?)"', page, re.S).group(1)
    assert "周鸿祎" in citation and article.title.replace("&", "&amp;") in citation.replace("&quot;", '"')
    assert f"http://testserver{turn.get_absolute_url()}" in citation and "中国企业家" in citation


def test_a_turn_permalink_shares_that_turn(client, seeded):
    turn = seeded["002"].turns.get(seq=14)
    page = client.get(turn.get_absolute_url()).content.decode()
    description = re.search(r'<meta property="og:description" content="(.*?)">', page).group(1)
    assert description.startswith(turn.text[:30])
    assert f'<meta property="og:url" content="http://testserver/t/{turn.number}/">' in page


def test_the_interface_follows_the_browser_language_and_can_be_switched(client, seeded):
    assert "最新访谈" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "最新訪談" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-TW").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en").content.decode()
    assert "Latest interviews" in english and '<html lang="en">' in english
    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"}, HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "最新訪談" in page and '<html lang="zh-Hant">' in page


def test_the_atom_feed_lists_new_interviews_escaped(client, seeded):
    response = client.get("/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    for article in seeded.values():
        assert f"http://testserver{article.get_absolute_url()}" in feed
    assert "<script" not in feed


def test_the_sitemap_lists_interviews_speakers_and_outlets(client, seeded):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{seeded['000'].get_absolute_url()}" in sitemap
    assert "http://testserver/speakers/zhou-hong-yi/" in sitemap
    assert f"http://testserver{seeded['000'].outlet.get_absolute_url()}" in sitemap


def test_a_sequence_link_never_issued_says_which(client, seeded):
    response = client.get(f"{seeded['000'].get_absolute_url()}999/")
    assert response.status_code == 404 and "999" in response.content.decode()


def test_outlets_asking_in_their_interviews_are_not_listed_as_people(client, seeded):
    html = client.get("/").content.decode()
    people = re.search(r"<h2>人物</h2>\s*<ul>(.*?)</ul>", html, re.S).group(1)
    assert "周鸿祎" in people and "王堅" in people
    assert "南都" not in people and "中國企業家" not in people


def test_the_byline_names_the_outlet_once(client, seeded):
    html = client.get(seeded["002"].get_absolute_url()).content.decode()
    header = re.search(r"<header>.*?</header>", html, re.S).group(0)
    assert header.count("中国企业家") == 1 and "中國企業家" not in header


def test_the_copied_citation_has_the_turn_number_and_access_date(client, seeded):
    from django.utils import timezone

    html = client.get(seeded["002"].get_absolute_url()).content.decode()
    turn = seeded["002"].turns.get(seq=14)
    citation = re.search(rf'id="{turn.anchor}".*?data-citation="(.*?)"', html, re.S).group(1)
    assert turn.number != 14  # numbers run across the archive; a position does not name a turn
    assert f"段落 t{turn.number}（访问时为第 14 段）" in citation and f"访问于 {timezone.localdate().isoformat()}" in citation


@pytest.mark.parametrize("form, media_type, expected", [
    ("text", "text/plain", ["段落 {t}（访问时为第 14 段）", "访问于"]),
    ("bibtex", "application/x-bibtex", ["@misc{", "{t},", "author = {{周鸿祎}}", "urldate = {", "note = {Turn {t} (position 14 when accessed)}", "year = {2024}"]),
    ("ris", "application/x-research-info-systems", ["TY  - ELEC", "AU  - 周鸿祎", "T2  - 中国企业家", "DA  - 2024/02/20", "N1  - Turn {t} (position 14 when accessed)", "ER  -"]),
    ("csl", "application/vnd.citationstyles.csl+json", ['"type": "interview"', '"locator": "{t}"', '"accessed"']),
])
def test_a_turn_is_cited_in_each_format_by_its_permanent_number_with_its_permalink(client, seeded, form, media_type, expected):
    turn = seeded["002"].turns.get(seq=14)
    response = client.get(turn.permalink_path(), {"cite": form})
    assert response["Content-Type"].startswith(media_type)
    body = response.content.decode()
    assert all(part.replace("{t}", f"t{turn.number}") in body for part in expected), body
    assert f"http://testserver{turn.get_absolute_url()}" in body


def test_an_interview_is_cited_with_its_people_not_its_outlet(client, seeded):
    import json

    article = seeded["002"]
    items = json.loads(client.get(article.get_absolute_url(), {"cite": "csl"}).content)
    assert items[0]["author"] == [{"literal": "周鸿祎"}] and items[0]["container-title"] == "中国企业家"
    assert items[0]["URL"] == f"http://testserver{article.get_absolute_url()}" and "locator" not in items[0]
    assert client.get(article.get_absolute_url(), {"cite": "mla"}).status_code == 404


def test_feed_entries_are_dated_by_the_interview_date(client, seeded):
    feed = client.get("/feed/").content.decode()
    assert "<published>2024-03-12T00:00:00+08:00</published>" in feed
    assert "<updated>2024-02-20T00:00:00+08:00</updated>" in feed


def test_the_favicon_is_found(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content


def test_the_outlet_page_has_no_skipped_heading_level(client, seeded):
    html = client.get(seeded["000"].outlet.get_absolute_url()).content.decode()
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels


def test_a_heading_turn_is_one_heading_with_both_renderings(client, seeded):
    article = seeded["000"]
    heading = article.turns.filter(kind="heading").first()
    html = client.get(article.get_absolute_url()).content.decode()
    section = re.search(rf'<section id="{heading.anchor}".*?</section>', html, re.S).group(0)
    from django.utils.html import strip_tags

    assert section.count("<h2") == 1 and heading.text_hans in strip_tags(section) and heading.text_hant in strip_tags(section)


def test_an_interview_has_a_table_of_contents_from_its_headings(client, seeded):
    article = seeded["000"]
    headings = list(article.turns.filter(kind="heading"))
    html = client.get(article.get_absolute_url()).content.decode()
    contents = re.search(r'<nav class="contents".*?</nav>', html, re.S).group(0)
    assert [f"#{h.anchor}" for h in headings] == re.findall(r'href="(#t\d+)"', contents)


def test_each_paragraph_of_a_turn_has_an_anchor_from_the_turns(client, seeded):
    turn = seeded["002"].turns.get(seq=14)
    html = client.get(turn.permalink_path()).content.decode()
    for number in range(1, len(turn.paragraphs()) + 1):
        assert html.count(f'id="{turn.paragraph_anchor(number)}"') == 1
