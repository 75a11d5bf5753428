"""Ordinary text that must NOT be read as a label, a note or a caption:
the guard against rules made eager by the label and note families. Each
case is a whole transcript; the ordinary lines must stay in the answers,
word for word, and nobody new may start speaking."""

import pytest

from archive.lib.transcript import Kind, parse

CASES = {
    "quoted speech with colons": (
        "甲：他说：“先把样机做出来。”",
        "乙：我爸常说：做事先做人。",
        "客户的原话是：“便宜不是理由。”",
        "另一个客户的原话是：“快才是理由。”",
    ),
    "list items": (
        "1. 成本：今年降了两成",
        "2. 交付：明年三月",
        "- 风险：供应链",
        "* 关注用户留存，而不是下载量",
    ),
    "a sentence that starts with a name and a colon": (
        "马斯克：一个让人又爱又恨的名字。",
        "Ada Lovelace: the name every programmer should know.",
        "Remember: nobody reads the terms of service.",
    ),
    "footnotes and asides that are content": (
        "注：这里的“算力”按FP16计，不含稀疏。",
        "Note: the figures are for 2024 and exclude leasing.",
        "（笑）这个问题我被问过很多次。",
        "※以上价格均为出厂价，不含运费。",
    ),
    "short lines alone that are no one": (
        "结语",
        "好的",
        "我们再说下一件事。",
        "小结",  # a section's mark that recurs, with words under it
        "价格还会降。",
        "小结",
        "需求还会涨。",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_ordinary_lines_inside_an_answer_stay_in_it(name):
    lines = CASES[name]
    text = "\n\n".join(["电芯的账", "庞雪：今年最难的是什么？", "柯一：先说结论，难在价格。", *lines,
                        "庞雪：明年呢？", "柯一：会好一些。", "庞雪：谢谢。"])
    article = parse(text)
    assert [s.name for s in article.speakers] == ["庞雪", "柯一"]
    assert article.notes == [] and article.count(Kind.CAPTION) == 0
    assert [turn.kind for turn in article.turns] == [Kind.QUESTION, Kind.ANSWER, Kind.QUESTION, Kind.ANSWER, Kind.QUESTION]
    assert article.turns[1].paragraphs == ["先说结论，难在价格。", *lines]


@pytest.mark.parametrize("last", [
    "我们的字幕都是人工校对的，一条一条过。",
    "Our newsletter now has forty thousand subscribers, and we answer every email.",
    "这些视频的版权都在我们手里，授权也签到了二〇三〇年。",
    "We had the transcript reviewed by a lawyer before we signed.",
])
def test_an_answer_that_ends_the_piece_speaking_of_its_own_texts_is_no_note(last):
    article = parse(f"电芯的账\n\n庞雪：贵吗？\n\n柯一：贵。\n\n庞雪：还有什么要说的？\n\n柯一：说两句。\n\n{last}")
    assert article.notes == [] and article.turns[-1].paragraphs == ["说两句。", last]

