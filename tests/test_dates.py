"""Dates as transcripts write them, and lines that only say when, where and in which outlet."""

import datetime

import pytest

from archive.lib.transcript import dates


@pytest.mark.parametrize("text, date", [
    ("2024年2月9日", datetime.date(2024, 2, 9)),
    ("２０２４年２月９日", datetime.date(2024, 2, 9)),
    ("2024-02-09T10:00", datetime.date(2024, 2, 9)),
    ("2024.2.9", datetime.date(2024, 2, 9)),
    ("Feb. 9, 2024", datetime.date(2024, 2, 9)),
    ("February 9th, 2024", datetime.date(2024, 2, 9)),
    ("9 Feb 2024", datetime.date(2024, 2, 9)),
    ("Sept 30, 2024", datetime.date(2024, 9, 30)),
    ("2024年2月30日", None),
    ("2月9日", None),
    ("in 2024 we grew", None),
])
def test_a_whole_calendar_date_in_any_common_writing(text, date):
    assert dates.parse(text) == date


@pytest.mark.parametrize("text, outlet", [
    ("北岸晚报｜2024年2月9日", "北岸晚报"),
    ("2024年2月9日 · 宁波", None),
    ("2024-02-09 / 《山海周刊》", "山海周刊"),
    ("Harbor Times — Feb. 9, 2024", "Harbor Times"),
    ("TACOMA, Wash., Feb. 9, 2024", None),
    ("Mon, Feb 9, 2024 4:05PM • 12:31", None),
    ("2024年2月9日 晚上 8:15｜1小时 3分钟", None),
])
def test_a_metadata_line_gives_the_date_and_the_outlet_and_drops_the_rest(text, outlet):
    line = dates.metadata_line(text)
    assert line == dates.MetadataLine(datetime.date(2024, 2, 9), outlet)


@pytest.mark.parametrize("text", [
    "2024年2月9日，我们在宁波见到了他。",
    "On Feb. 9, 2024 the company shipped 400 units",
    "2024年2月9日发布的第三代产品",
])
def test_a_sentence_with_a_date_is_not_a_metadata_line(text):
    assert dates.metadata_line(text) is None


def test_a_name_known_as_an_outlet_is_the_outlet_whatever_it_is_called():
    assert dates.metadata_line("蓝鲸 · 2024-02-09", {"蓝鲸"}).outlet == "蓝鲸"
    assert dates.metadata_line("蓝鲸 · 2024-02-09").outlet is None


def test_wechats_meta_line_gives_the_account_as_outlet_and_the_date():
    line = dates.metadata_line("原创 欧阳明月 风电观察员 2025年03月02日 21:05 江苏")
    assert line == dates.MetadataLine(datetime.date(2025, 3, 2), "风电观察员")
    assert dates.metadata_line("原創 林安 海事 2024年11月9日") == dates.MetadataLine(datetime.date(2024, 11, 9), "海事")
    # Without WeChat's mark, single spaces do not part words: a sentence is not a meta line.
    assert dates.metadata_line("2025年1月3日 我们 聊了聊") is None


def test_an_english_recorders_line_with_its_length():
    assert dates.metadata_line("Recorded 3 March 2025 · 41 min 7 s") == dates.MetadataLine(datetime.date(2025, 3, 3), None)
    assert dates.metadata_line("Published on: May 2, 2024 | 1 h 12 min") == dates.MetadataLine(datetime.date(2024, 5, 2), None)
    assert dates.metadata_line("Recorded in 3 rooms on May 2, 2024") is None  # a sentence
