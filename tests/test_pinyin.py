"""Pinyin read from Latin letters: how words split into syllables, which Han
text of the index they spell, and what search does with them."""

import pytest

from archive.search import pinyin
from archive.search.service import SearchRequest, search


class Held:
    """A vocabulary of a few pairs, as an index would hold them."""

    def __init__(self, *pairs, counts=None):
        self.held = set(pairs)
        self.counts = counts or {}

    def characters(self):
        return frozenset(pair[0] for pair in self.held)

    def pairs(self, char):
        return {pair: self.counts.get(pair, 1) for pair in self.held if pair[0] == char and len(pair) == 2}

    def holds(self, term):
        return term in self.held


@pytest.mark.parametrize("typed", [["shijie"], ["shi", "jie"], ["shì", "jiè"], ["shi4jie4"], ["shi4", "jie4"], ["SHIJIE"], ["shi'jie"]])
def test_toneless_tone_marked_and_tone_numbered_pinyin_split_into_the_same_syllables(typed):
    assert ["shi", "jie"] in [[syllable.rstrip("1234") for syllable in way] for way in pinyin.segmentations(typed)]


def test_tones_are_kept_where_they_were_written():
    assert ["shi4", "jie"] in pinyin.segmentations(["shì", "jie"])
    assert pinyin.segmentations(["lǜ"]) == pinyin.segmentations(["lv4"]) == [["lv4"]]


def test_an_ambiguous_word_is_read_every_way_it_splits():
    assert sorted(pinyin.segmentations(["xian"])) == [["xi", "an"], ["xian"]]
    assert pinyin.segmentations(["xi'an"]) == [["xi", "an"]]


@pytest.mark.parametrize("word", ["Sora", "GPT", "transformer", "h800", "c++"])
def test_words_that_are_not_pinyin_do_not_split(word):
    assert pinyin.segmentations([word]) == []


def test_readings_are_the_held_strings_that_read_so_and_heteronyms_read_every_way():
    held = Held("银行", "行走", "世界")
    assert pinyin.readings([["yin", "hang"]], held) == ["银行"]  # 行 is hang here
    assert pinyin.readings([["xing", "zou"]], held) == ["行走"]  # and xing there


def test_implausible_readings_are_dropped():
    # 是解 (of 就是解决) is in the index and reads shi jie, but is not Chinese a reader means
    assert pinyin.readings([["shi", "jie"]], Held("世界", "是解")) == ["世界"]


def test_longer_pinyin_chains_pairs_that_share_a_character():
    held = Held("人工", "工智", "智能", "工作")
    assert pinyin.readings([["ren", "gong", "zhi", "neng"]], held) == ["人工智能"]


def found(q, **filters):
    return [(hit.turn.article.slug[:4], hit.turn.seq) for hit in search(SearchRequest(q=q, **filters)).hits]


@pytest.mark.parametrize("typed", ["jidan", "ji dan", "jī dàn", "ji1dan4", "JiDan"])
def test_pinyin_finds_the_han_text_in_either_script(seeded, typed):
    assert found(typed) == found("鸡蛋") == [("zhou", 14)]  # 002 is published in Traditional: 雞蛋


def test_pinyin_finds_what_the_han_words_find(seeded):
    assert set(found("suanli", page_size=50)) == set(found("算力", page_size=50))
    assert set(found("yingweida", page_size=50)) == set(found("英伟达", page_size=50))


def test_the_page_says_how_pinyin_was_read_and_marks_the_han_text(seeded):
    page = search(SearchRequest(q="jidan"))
    assert page.pinyin == [{"typed": "jidan", "read_as": ["鸡蛋"]}]
    assert "<mark>雞蛋</mark>" in page.hits[0].highlighted


@pytest.mark.parametrize("word", ["Sora", "ai", "OpenAI", "Gemini", "Meta", "Pika", "API", "CEO"])
def test_english_words_are_found_as_english_and_not_drowned_by_pinyin(seeded, word):
    as_english = set(found(f'"{word}"', page_size=50))  # quoted: never read as pinyin
    hits = found(word, page_size=50)
    assert as_english and set(hits[: len(as_english)]) == as_english


def test_what_was_typed_ranks_above_what_it_was_read_as(seeded, django_capture_on_commit_callbacks):
    from archive.interviews.importer import import_transcript

    text = "---\ntitle: 测试\n---\n问：为什么叫这个名字？\n答：Jidan 是一个品牌的名字。\n"
    with django_capture_on_commit_callbacks(execute=True):
        import_transcript(text.encode(), name="jidan.txt")
    page = search(SearchRequest(q="jidan"))
    assert [hit.turn.article.title for hit in page.hits][:1] == ["测试"]  # the letters as typed first
    assert [(hit.turn.article.slug[:4], hit.turn.seq) for hit in page.hits[1:]] == [("zhou", 14)]  # then 鸡蛋
    assert page.pinyin == [{"typed": "jidan", "read_as": ["鸡蛋"]}]


def test_a_lone_syllable_the_archive_holds_as_a_word_is_that_word(seeded):
    assert search(SearchRequest(q="ai")).pinyin == []
    assert search(SearchRequest(q="mao")).pinyin[0]["typed"] == "mao"  # no word "mao" here: 毛, 猫…


def test_a_long_word_that_almost_splits_is_given_up_on_not_tried_every_way():
    # a+n+a+n… splits in exponentially many ways until the x; each place is tried once
    assert pinyin.segmentations(["an" * 99 + "x"]) == []
    assert len(pinyin.segmentations(["an" * 100])) == pinyin.MAX_SEGMENTATIONS
