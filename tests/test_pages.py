"""The reader's pages, through the Django test client."""

import pytest
from django.utils.html import strip_tags

from archive.interviews.importer import import_transcript

pytestmark = pytest.mark.django_db


def test_home_lists_the_three_interviews(client, seeded):
    page = client.get("/").content.decode()
    for article in seeded.values():
        assert article.title in page and article.get_absolute_url() in page
    assert "周鸿祎" in page and "南方都市报" in page


def test_interview_page_shows_both_renderings_of_every_turn(client, seeded):
    article = seeded["003"]
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'lang="zh-Hans"' in page and 'lang="zh-Hant"' in page
    text = strip_tags(page)  # characters that differ from the original are wrapped in <span class="changed">
    assert "我们今天所有看到的东西" in text and "我們今天所有看到的東西" in text
    assert page.count('class="turn ') == article.turns.count()


def test_turn_permalink_renders_the_interview_with_that_turn_targeted(client, seeded):
    turn = seeded["000"].turns.get(seq=3)
    response = client.get(turn.permalink_path())
    assert response.status_code == 200
    assert f'id="{turn.anchor}" class="turn question target"' in response.content.decode()
    assert client.get("/t/999999/").status_code == 404


def test_speaker_and_outlet_pages(client, seeded):
    speaker = client.get("/speakers/zhou-hong-yi/").content.decode()
    assert "周鸿祎" in speaker and "周鴻禕" in speaker and "360集团创始人" in speaker
    assert seeded["000"].title in speaker and seeded["002"].title in speaker
    outlet = client.get(seeded["000"].outlet.get_absolute_url()).content.decode()
    assert "南都" in outlet and seeded["003"].title in outlet


def test_transcript_markup_is_shown_as_text(client, db, search_index, django_capture_on_commit_callbacks):
    text = "<script>alert(1)</script>标题\n甲：<b>问</b><img src=x onerror=alert(1)>？\n乙：答。\n甲：再问？\n乙：再答。"
    with django_capture_on_commit_callbacks(execute=True):
        article = import_transcript(text.encode()).article
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "onerror=alert(1)>" not in page
