"""Each cleanup rule alone, on blocks made by hand: a rule knows nothing of
the format the blocks came from."""

import datetime

from archive.lib.transcript import cleanup, labels
from archive.lib.transcript.model import Block, BlockKind, Document, Position, Role


def document(*texts: str, kind: BlockKind = BlockKind.PARAGRAPH) -> Document:
    return Document(blocks=[Block(text, Position("line", n), kind) for n, text in enumerate(texts, 1)], format="test")


def test_pinyin_annotations_are_removed_with_one_warning():
    doc = document("阿里云創(chuàng)始人", "行業(yè)")
    cleanup.remove_pinyin_annotations(doc)
    assert [b.text for b in doc.blocks] == ["阿里云創始人", "行業"]
    assert len(doc.warnings) == 1 and dict(doc.warnings[0].params)["count"] == 2


def test_html_residue_and_entities_go():
    doc = document("世界。”?!?/p>", "A&amp;B<br/>")
    cleanup.remove_html_residue(doc)
    assert [b.text for b in doc.blocks] == ["世界。”", "A&B"]


def test_emoji_are_removed_from_labels_but_not_from_what_is_said():
    doc = document("王磊🧑‍🏫：我喜欢🚀。", "王磊🧑‍🏫：再说一次。")
    cleanup.remove_emoji_from_labels(doc)
    assert [b.text for b in doc.blocks] == ["王磊：我喜欢🚀。", "王磊：再说一次。"]
    assert len(doc.warnings) == 1


def test_header_lines_become_metadata_and_people():
    doc = document("标题：访谈", "来源：前沿观察", "嘉宾：甲乙（A公司CEO）、丙丁（B公司CTO）", "主持人：戊己", "主持人：问？")
    cleanup.header_lines(doc)
    assert doc.meta == {"title": "访谈", "outlet": "前沿观察"}
    assert doc.people["甲乙"] == ("甲乙", Role.ANSWERS, "A公司CEO") and doc.people["主持人"][0] == "戊己"
    assert [b.text for b in doc.blocks] == ["主持人：问？"]


def test_boilerplate_becomes_notes_in_any_bracket_but_an_answer_mentioning_copyright_stays():
    doc = document("〔本文系原创，转载请联系〕", "本文未经受访者审阅。", "甲：版权问题很复杂。我们转载别人的文章都要授权，这是原则。", "- END -",
                   "喜欢这篇？点个“赞”，分享给更多朋友吧", "乙：用户很喜欢，给我们点赞的很多。后来我们又做了第二版。")
    cleanup.boilerplate_to_notes(doc)
    assert doc.notes == ["〔本文系原创，转载请联系〕", "本文未经受访者审阅。", "喜欢这篇？点个“赞”，分享给更多朋友吧"]
    assert [b.text for b in doc.blocks] == ["甲：版权问题很复杂。我们转载别人的文章都要授权，这是原则。", "乙：用户很喜欢，给我们点赞的很多。后来我们又做了第二版。"]


def test_an_image_takes_the_short_line_under_it_as_its_caption():
    doc = document("x")
    doc.blocks = [Block("alt text", Position("line", 1), BlockKind.IMAGE), Block("▲ 实验室一角", Position("line", 2)),
                  Block("正文继续。", Position("line", 3))]
    cleanup.captions(doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [(BlockKind.CAPTION, "实验室一角"), (BlockKind.PARAGRAPH, "正文继续。")]


def test_credits_are_told_from_a_speakers_short_turn():
    doc = document("采访｜宋雨桐", "记者：李明 王芳", "张三：好的", "张三：再见。", "Photos by Ivo Marsh and Jo Park", "By the way, no.")
    labels.accept(doc)
    cleanup.bylines_and_credits(doc)
    assert doc.credits == ["采访｜宋雨桐", "记者：李明 王芳", "Photos by Ivo Marsh and Jo Park"]


def test_metadata_lines_in_the_header_and_footer_give_date_and_outlet_and_drop_the_place():
    doc = document("芯片的账", "采访｜庞雪", "北岸晚报 · 2024年2月9日", "甲：贵吗？", "乙：贵。", "本报宁波2月9日讯", "宁波，2024年2月10日")
    labels.accept(doc)
    cleanup.metadata_lines(doc)
    assert doc.meta == {"published": datetime.date(2024, 2, 9), "outlet": "北岸晚报"}
    assert [b.text for b in doc.blocks] == ["芯片的账", "采访｜庞雪", "甲：贵吗？", "乙：贵。"]


def test_the_rules_run_in_their_documented_order():
    names = [rule.__name__ for rule in cleanup.RULES]
    assert names.index("remove_emoji_from_labels") < names.index("accept_labels") < names.index("bylines_and_credits")
    assert names.index("boilerplate_to_notes") < names.index("metadata_lines") < names.index("bylines_and_credits")
    assert names.index("boilerplate_to_notes") < names.index("captions")


def test_invisible_characters_go_but_an_emoji_keeps_its_joiner():
    doc = document("庞\u200b雪：好的\u2060。", "柯一\u200d🔥：行。", "老师🧑\u200d🏫来了\u00ad。")
    cleanup.remove_invisible_characters(doc)
    assert [b.text for b in doc.blocks] == ["庞雪：好的。", "柯一🔥：行。", "老师🧑\u200d🏫来了。"]


def test_a_heading_that_ends_like_a_dateline_is_not_one():
    doc = document("充电的账", "二、无线充电", "甲：贵吗？", "乙：贵。", "新华社宁波2月9日电")
    labels.accept(doc)
    cleanup.metadata_lines(doc)
    assert [b.text for b in doc.blocks] == ["充电的账", "二、无线充电", "甲：贵吗？", "乙：贵。"]


def notes_of(*texts: str, outlet: str = "") -> tuple[list[str], list[str]]:
    doc = document(*texts)
    if outlet:
        doc.known_outlets.add(outlet.lower())
    cleanup.boilerplate_to_notes(doc)
    return doc.notes, [b.text for b in doc.blocks]


def test_a_note_is_told_by_speaking_of_the_text_in_any_wording():
    notes, kept = notes_of(
        "甲：灯塔项目什么时候上线？", "乙：明年春天。",
        "〔字幕由语音模型自动生成，个别词句请以视频为准〕",
        "※嘉宾本人的看法不代表本号立场",
        "【说明】以上内容据现场速记整理，发布前未请发言人核对。",
        "注：本期对话的文字版经过压缩，完整内容见音频。",
    )
    assert kept == ["甲：灯塔项目什么时候上线？", "乙：明年春天。"]
    assert len(notes) == 4 and notes[0].startswith("〔字幕")


def test_a_plain_paragraph_closing_the_piece_is_a_note_when_it_speaks_of_the_text():
    notes, kept = notes_of("Host: Thanks for coming on.", "Guest: My pleasure.",
                           "Produced by Harbor Audio; transcript at https://harbor.example.org/ep4",
                           "Opinions here are the guest's own, not Harbor Audio's.", outlet="Harbor Audio")
    assert kept == ["Host: Thanks for coming on.", "Guest: My pleasure."] and len(notes) == 2


def test_a_subscribe_box_inside_the_body_is_a_note_sentence_by_sentence():
    notes, kept = notes_of("Ivo Marsh: We ship in May.",
                           "Lamplight Letters is supported by its readers. Sign up to get new posts by email.",
                           "Ivo Marsh: Then we hire.", outlet="Lamplight Letters")
    assert notes == ["Lamplight Letters is supported by its readers. Sign up to get new posts by email."]


def test_text_about_the_topic_is_not_a_note_however_it_is_marked():
    texts = (
        "注：文中的“卡”指数据中心里的加速卡，不是显卡。",  # a footnote that is content
        "我们的订阅用户去年翻了一倍，版权收入也涨了三成。",  # an answer about the business of rights
        "他当时就说：“转载可以，但要先拿到授权。”",  # quoted speech with a colon
        "以下为对话全文（有删减）：",  # it introduces what follows
        "另外，我们把电台的旧节目整理成训练数据。这些节目都有逐字稿。",  # an answer about transcripts
        "甲：本文开头提到的那家公司，后来转型了吗？",  # a question
        "* 关注用户留存，而不是下载量",  # a list item
        "乙：欢迎大家来我们展台，别忘了扫码领资料。",  # a speaker's own words
    )
    notes, kept = notes_of(*texts, "甲：谢谢。")
    assert notes == [] and kept == [*texts, "甲：谢谢。"]


def test_end_marks_go_and_at_the_end_any_bracketed_one():
    _, kept = notes_of("（念完）", "甲：好。", "—— 完 ——", "乙：再见。", "（纪要完）", "—— 访谈结束 ——")
    assert kept == ["（念完）", "甲：好。", "乙：再见。"]


def wrapped(*groups: tuple[str, ...]) -> Document:
    blocks = [Block(text, Position("line", 0), group=number) for number, lines in enumerate(groups) for text in lines]
    for number, block in enumerate(blocks, 1):
        block.position = Position("line", number)
    return Document(blocks=blocks, format="test")


def test_wrapped_lines_join_but_a_line_that_stands_alone_stays_itself():
    doc = wrapped(
        ("潮汐能电站的十年", "北岸能源评论｜2024年4月2日"),  # a metadata line under the title, no blank line between
        ("潮汐能电站建在海湾口，涨潮时进水，落潮时发", "电，一天两次，比风和光都准时。"),
        ("甲：最难的是", "什么？"),
        ("乙：是海水的腐蚀，每年都要换一批", "密封件，这笔钱省不下来。"),
        ("撰文：何一苇 摄影：裴林", "（本文经北岸能源评论授权发布。）", "（全文完）"),  # a byline above a note and an end mark
    )
    cleanup.join_hard_wrapped_lines(doc)
    assert [b.text for b in doc.blocks] == [
        "潮汐能电站的十年", "北岸能源评论｜2024年4月2日", "潮汐能电站建在海湾口，涨潮时进水，落潮时发电，一天两次，比风和光都准时。",
        "甲：最难的是什么？", "乙：是海水的腐蚀，每年都要换一批密封件，这笔钱省不下来。",
        "撰文：何一苇 摄影：裴林", "（本文经北岸能源评论授权发布。）", "（全文完）"]


def test_a_name_alone_on_its_line_is_not_wrapped_into_its_words():
    doc = wrapped(("主持人 韦青", "潮汐能和风电比，贵在", "哪里？"), ("嘉宾 龙舟（海湾电力）", "贵在海上施工，一台机组要", "等小潮的几天才能装。"),
                  ("韦青", "那维护呢？"), ("龙舟", "维护反而比风电", "便宜。"))
    cleanup.join_hard_wrapped_lines(doc)
    assert [b.text for b in doc.blocks] == ["主持人 韦青", "潮汐能和风电比，贵在哪里？", "嘉宾 龙舟（海湾电力）",
                                            "贵在海上施工，一台机组要等小潮的几天才能装。", "韦青", "那维护呢？", "龙舟", "维护反而比风电便宜。"]


def test_the_line_under_a_picture_is_its_caption_when_short_pointed_or_set_apart():
    def under_a_picture(line: Block) -> list[tuple[BlockKind, str]]:
        doc = document("x")
        doc.blocks = [Block("alt", Position("line", 1), BlockKind.IMAGE), line, Block("答案继续。", Position("line", 3))]
        cleanup.captions(doc)
        return [(b.kind, b.text) for b in doc.blocks]

    italic = "The lathe room at dawn, before the first shift clocks in and the dust settles on every bench."
    assert under_a_picture(Block(italic, Position("line", 2), set_apart=True))[0] == (BlockKind.CAPTION, italic)
    assert under_a_picture(Block(f"_{italic}_", Position("line", 2)))[0] == (BlockKind.CAPTION, italic)
    pointed = "▲ 车间里的第一台五轴机床，二〇一九年从德国运来，至今每天工作二十个小时，只在春节停三天。"
    assert under_a_picture(Block(pointed, Position("line", 2)))[0] == (BlockKind.CAPTION, pointed[2:])
    # a paragraph of the answer, and a question set apart, are no caption: the picture keeps its alt text
    for line in (Block("这台机床是我们第一次出口的设备，后来又订了两台，一直用到今天，精度还在公差以内。", Position("line", 2)),
                 Block("Why did you buy a second lathe so soon after the first one arrived?", Position("line", 2), set_apart=True)):
        assert under_a_picture(line)[:2] == [(BlockKind.CAPTION, "alt"), (BlockKind.PARAGRAPH, line.text)]
