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
    simplified = re.search(r'id="t2".*?class="rendering hans" lang="zh-Hans">(.*?)</div>', page, re.S).group(1)
    traditional = re.search(r'id="t2".*?class="rendering hant original" lang="zh-Hant">(.*?)</div>', page, re.S).group(1)
    assert '<span class="changed">' in simplified and '<span class="changed">' not in traditional
    # a Simplified original underlines in the Traditional column instead
    page = client.get(seeded["000"].get_absolute_url()).content.decode()
    assert 'class="rendering hans original" lang="zh-Hans"' in page


def test_each_turn_has_a_permalink_and_a_citation(client, seeded):
    article = seeded["002"]
    page = client.get(article.get_absolute_url()).content.decode()
    turn = article.turns.get(seq=14)
    assert f'href="{turn.get_absolute_url()}"' in page
    citation = re.search(r'id="t14".*?data-citation="(.*?)"', page, re.S).group(1)
    assert "周鸿祎" in citation and article.title.replace("&", "&amp;") in citation.replace("&quot;", '"')
    assert f"http://testserver{turn.get_absolute_url()}" in citation and "中国企业家" in citation


def test_a_turn_permalink_shares_that_turn(client, seeded):
    article = seeded["002"]
    page = client.get(f"{article.get_absolute_url()}14/").content.decode()
    description = re.search(r'<meta property="og:description" content="(.*?)">', page).group(1)
    assert description.startswith(article.turns.get(seq=14).text[:30])
    assert f'<meta property="og:url" content="http://testserver{article.get_absolute_url()}14/">' in page


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


def test_a_missing_turn_says_which(client, seeded):
    response = client.get(f"{seeded['000'].get_absolute_url()}999/")
    assert response.status_code == 404 and "999" in response.content.decode()
