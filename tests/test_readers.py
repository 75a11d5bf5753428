"""Each format reader, through the one registry, into the same turns."""

import datetime

import pytest

from archive.lib.transcript import Kind, Role, TranscriptError, parse, parse_bytes, readers
from tests.ingest_samples import RECORDER, SRT, WECHAT_PAGE, word_file


def test_the_registry_tells_formats_by_content_before_name():
    assert readers.read(word_file(), "notes.bin").format == "docx"
    assert readers.read(WECHAT_PAGE.encode(), "page.txt").format == "html"
    assert readers.read(SRT.encode(), "talk.txt").format == "srt"
    assert readers.read(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n", "a.txt").format == "vtt"
    assert readers.read(RECORDER.encode(), "rec.txt").format == "timecoded"
    assert readers.read("标题\n甲：问？\n乙：答。".encode(), "a.txt").format == "text"
    assert readers.read("标题\n甲：问？\n乙：答。".encode(), "a.md").format == "markdown"


def test_a_word_file_is_not_a_zip_of_transcripts_but_a_zip_is():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x")
    assert not readers.is_zip_of_transcripts(word_file(), "interview.docx")
    assert readers.is_zip_of_transcripts(buffer.getvalue(), "batch.zip")


def test_a_word_file_gives_title_heading_bold_labels_and_caption_with_paragraph_positions():
    article = parse_bytes(word_file(), name="zhao.docx")
    assert article.title == "专访赵大海：量子计算的下一步"
    assert [turn.kind for turn in article.turns] == [
        Kind.NARRATION, Kind.HEADING, Kind.QUESTION, Kind.ANSWER, Kind.QUESTION, Kind.ANSWER, Kind.CAPTION]
    assert article.turns[3].text == "三年之内。" and article.turns[3].unit == "paragraph"
    assert article.turns[-1].text == "赵大海在无尘车间"


def test_a_wechat_page_gives_its_body_account_date_bold_labels_caption_and_notes():
    article = parse_bytes(WECHAT_PAGE.encode(), name="page.html")
    assert article.title == "对话李航：机器人何时走进家庭"
    assert article.outlet == "星火观察" and article.published == datetime.date(2025, 4, 12)
    kinds = [(turn.kind, turn.label) for turn in article.turns]
    assert kinds[0] == (Kind.NARRATION, None)
    assert (Kind.QUESTION, "星火观察") in kinds and (Kind.ANSWER, "李航") in kinds
    captions = [turn.text for turn in article.turns if turn.kind is Kind.CAPTION]
    assert captions == ["李航在实验室里调试机械臂"]
    answer = next(turn for turn in article.turns if turn.label == "李航")
    assert answer.paragraphs[-1].startswith("最难的是")  # the picture did not end the answer
    everything = "".join(turn.text for turn in article.turns)
    assert "首页" not in everything and "在看" not in everything and "转载" not in everything
    assert len(article.notes) == 2


def test_subtitles_join_cues_into_turns_by_speaker_with_times():
    article = parse_bytes(SRT.encode(), name="talk.srt")
    assert article.title == "talk" and any("file has no title" in w.message for w in article.warnings)
    first, second = article.turns[:2]
    assert (first.kind, first.label, first.start, first.end) == (Kind.QUESTION, "张薇", 1.0, 5.0)
    assert first.paragraphs == ["欢迎收看，今天我们请到了李航。"]
    assert (second.label, second.start, second.unit, second.line) == ("李航", 6.0, "cue", 3)
    assert [(s.name, s.role) for s in article.speakers] == [("张薇", Role.ASKS), ("李航", Role.ANSWERS)]


def test_rolling_auto_captions_lose_their_repeated_lines():
    rolling = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n今天我们聊\n\n00:00:02.000 --> 00:00:03.000\n今天我们聊\n机器人\n"
    article = parse_bytes(rolling.encode(), name="auto.vtt")
    assert article.turns[0].paragraphs == ["今天我们聊机器人"]


def test_a_recorder_export_gives_speakers_questions_and_start_times():
    article = parse(RECORDER, name="rec.txt")
    assert [(turn.kind, turn.label, turn.start) for turn in article.turns] == [
        (Kind.QUESTION, "说话人 1", 3.0), (Kind.ANSWER, "说话人 2", 15.0),
        (Kind.QUESTION, "说话人 1", 62.0), (Kind.ANSWER, "说话人 2", 70.0)]


@pytest.mark.parametrize("colon", [":", "：", "﹕", "∶"])
def test_every_colon_form_is_a_label(colon):
    article = parse(f"标题\n记者{colon}你好吗？\n李明{colon}很好。\n记者{colon}再见？\n李明{colon}再见。")
    assert [turn.kind for turn in article.turns] == [Kind.QUESTION, Kind.ANSWER] * 2


def test_role_word_with_a_name_and_an_affiliation_label_are_the_people():
    article = parse("圆桌\n主持人张薇：先请李航谈谈？\n李航（星火机器人创始人）：五年内。\n王磊：十年。\n张薇：为什么？\n李航：成本。\n王磊：安全。")
    speakers = {s.name: (s.role, s.description) for s in article.speakers}
    assert speakers == {"张薇": (Role.ASKS, ""), "李航": (Role.ANSWERS, "星火机器人创始人"), "王磊": (Role.ANSWERS, "")}


def test_emoji_in_labels_are_removed_and_reported():
    article = parse("标题\n记者：你好？\n王磊🧑‍🏫：很好。\n记者：再见？\n王磊🧑‍🏫：再见。")
    assert {s.name for s in article.speakers} >= {"王磊"}
    assert [w.message for w in article.warnings if "emoji" in w.message] == ["removed emoji from the label “王磊”"]


def test_header_lines_are_title_date_and_people_not_turns():
    text = "标题：量子计算公司访谈\n时间：2025年3月1日\n地点：合肥\n嘉宾：赵大海（量子科技CEO）\n主持人：张薇\n主持人：做什么？\n嘉宾：量子计算机。"
    article = parse_bytes(text.encode("gbk"))
    assert (article.title, article.published) == ("量子计算公司访谈", datetime.date(2025, 3, 1))
    assert [(s.name, s.role, s.description) for s in article.speakers] == [
        ("张薇", Role.ASKS, ""), ("赵大海", Role.ANSWERS, "量子科技CEO")]
    assert len(article.turns) == 2


def test_bold_questions_with_plain_answers_are_the_interviewees():
    article = parse("# 专访赵大海：量子的未来\n\n**你们做什么？**\n\n做量子计算机。\n\n**什么时候商用？**\n\n三年。\n\n还需要投入。")
    assert [(turn.kind, turn.label, len(turn.paragraphs)) for turn in article.turns] == [
        (Kind.QUESTION, None, 1), (Kind.ANSWER, "赵大海", 1), (Kind.QUESTION, None, 1), (Kind.ANSWER, "赵大海", 2)]


def test_boilerplate_is_kept_as_notes_never_in_a_turn():
    article = parse("标题\n甲：问？\n乙：答。\n甲：再问？\n乙：再答。\n【版权声明】本文版权归星河所有\n*本文未经受访者审阅")
    assert article.turns[-1].text == "再答。"
    assert article.notes == ["【版权声明】本文版权归星河所有", "本文未经受访者审阅"]


def test_front_matter_with_a_colon_in_a_value_is_read_line_by_line_with_a_warning():
    article = parse("---\ntitle: 对话李航: 机器人\nmedia_url: https://www.youtube.com/watch?v=abc\n---\n甲：问？\n乙：答。\n甲：再问？\n乙：再答。")
    assert article.title == "对话李航: 机器人" and article.media_url == "https://www.youtube.com/watch?v=abc"
    assert any("line by line" in w.message and w.line == 2 for w in article.warnings)


def test_messages_are_templates_an_interface_can_translate():
    with pytest.raises(TranscriptError) as raised:
        parse_bytes(b"")
    assert raised.value.template == "the file is empty" and str(raised.value) == "the file is empty"
    warning = parse("标题\n甲：问？\n乙：答。\n甲：再问？\n乙：再答。\n（完）\n*本文未经受访者审阅").warnings[0]
    assert "%(text)s" in warning.template and dict(warning.params)["text"] == "*本文未经受访者审阅"
    assert str(warning) == f"line 7: {warning.message}"


def test_a_second_voice_inside_a_cue_speaks_from_its_line_on():
    vtt = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ada Lin>Is it cheaper now?</v>\n<v Bo Reyes>A little.\n\n"
           "00:00:04.500 --> 00:00:06.000\nOnly a little.\n\n00:00:07.000 --> 00:00:09.000\n<v Ada Lin>Why?\n\n"
           "00:00:09.500 --> 00:00:11.000\n<v Bo Reyes>Supply.\n")
    article = parse_bytes(vtt.encode(), name="two.vtt")
    assert [(turn.label, turn.text, turn.start, turn.end) for turn in article.turns][:2] == [
        ("Ada Lin", "Is it cheaper now?", 1.0, 4.0), ("Bo Reyes", "A little. Only a little.", 1.0, 6.0)]


def test_chevrons_and_dialogue_dashes_are_speaker_marks_not_text():
    srt = ("1\n00:00:01,000 --> 00:00:03,000\n>> 庞雪：价格定了吗？\n\n2\n00:00:03,500 --> 00:00:05,000\n>> 柯一：还没有。\n\n"
           "3\n00:00:05,500 --> 00:00:07,000\n- （庞雪）什么时候定？\n- （柯一）下个月。\n\n4\n00:00:07,500 --> 00:00:09,000\n>> 庞雪：好。\n")
    article = parse_bytes(srt.encode(), name="marks.srt")
    assert [(turn.label, turn.text) for turn in article.turns] == [
        ("庞雪", "价格定了吗？"), ("柯一", "还没有。"), ("庞雪", "什么时候定？"), ("柯一", "下个月。"), ("庞雪", "好。")]
    assert all(">" not in turn.text and not turn.text.startswith("-") for turn in article.turns)


def test_time_ranges_before_the_speaker_give_start_and_end():
    export = ("发布会问答\n\n00:00:03 - 00:00:20 主持人 庞雪\n请提问。\n\n00:00:21 - 00:00:40 柯一（北岸电池CEO）\n"
              "我先说两句。\n\n第二段话。\n\n00:00:41 – 00:00:52 记者 林默（山海周刊）\n价格呢？\n\n00:00:53 - 00:01:10 柯一\n保密。\n")
    article = parse(export, name="briefing.txt")
    assert article.format == "timecoded"
    assert [(turn.label, turn.start, turn.end, len(turn.paragraphs)) for turn in article.turns] == [
        ("庞雪", 3.0, 20.0, 1), ("柯一", 21.0, 40.0, 2), ("林默", 41.0, 52.0, 1), ("柯一", 53.0, 70.0, 1)]
    assert {s.name: s.description for s in article.speakers} == {"庞雪": "", "柯一": "北岸电池CEO", "林默": "山海周刊"}


def test_a_bracketed_range_before_a_label_on_the_same_line():
    export = ("回访\n[00:00:04 – 00:00:19] 庞雪：效果怎么样？\n[00:00:20 – 00:00:48] 柯一：很好。\n[00:00:50 – 00:01:02] 柯一：还会再装。\n"
              "[00:01:03 – 00:01:05] 庞雪：谢谢。\n")
    article = parse(export, name="visit.txt")
    assert [(turn.label, turn.start, turn.end, turn.paragraphs) for turn in article.turns] == [
        ("庞雪", 4.0, 19.0, ["效果怎么样？"]), ("柯一", 20.0, 62.0, ["很好。", "还会再装。"]), ("庞雪", 63.0, 65.0, ["谢谢。"])]


def test_a_transcription_services_keywords_speakers_and_heading_are_not_text():
    export = ("电池回收访谈\n2024年2月9日 下午 4:05|12分钟 3秒\n\n关键词:\n电池、回收、梯次利用\n\n说话人:\n庞雪、柯一\n\n文字记录:\n\n"
              "庞雪 00:00:02\n回收难在哪？\n\n柯一 00:00:08\n难在拆。\n\n庞雪 00:00:15\n为什么？\n\n柯一 00:00:18\n型号太多。\n")
    article = parse(export, name="minutes.txt")
    assert article.title == "电池回收访谈" and str(article.published) == "2024-02-09"
    assert [turn.text for turn in article.turns] == ["回收难在哪？", "难在拆。", "为什么？", "型号太多。"]
    english = ("Battery call\n\nMon, Feb 9, 2024 4:05PM • 12:03\n\nSUMMARY KEYWORDS\nbatteries, recycling\n\nSPEAKERS\nJo Park, Lee Ames\n\n"
               "Jo Park  0:02\nWhere is it hard?\n\nLee Ames  0:08\nTaking packs apart.\n")
    article = parse(english, name="call.txt")
    assert [turn.text for turn in article.turns] == ["Where is it hard?", "Taking packs apart."]


def _word(build) -> bytes:
    import io

    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_italic_questions_in_a_word_file_read_like_bold_ones_and_an_italic_title_inside_an_answer_does_not():
    def build(document):
        document.add_paragraph("专访柯一：电芯的账", style="Title")
        document.add_paragraph("采访｜庞雪")
        for question, answer in (("电芯为什么贵？", "材料贵。"), ("什么时候便宜？", "明年。")):
            document.add_paragraph().add_run(question).italic = True
            paragraph = document.add_paragraph("我推荐")
            paragraph.add_run("《电池简史》").italic = True
            paragraph.add_run("。" + answer)

    article = parse_bytes(_word(build), name="italic.docx")
    assert [(turn.kind, turn.label) for turn in article.turns] == [
        (Kind.QUESTION, "庞雪"), (Kind.ANSWER, "柯一"), (Kind.QUESTION, "庞雪"), (Kind.ANSWER, "柯一")]


@pytest.mark.parametrize("header", [("问题", "回答"), ("Q", "A"), None])
def test_a_question_and_answer_table_in_a_word_file_gives_questions_and_answers(header):
    rows = [("电芯为什么贵？", ["材料贵。", "人工也贵。"]), ("什么时候便宜？", ["明年。"]), ("谁先降价？", ["我们。"])]

    def build(document):
        document.add_paragraph("专访柯一：电芯的账", style="Title")
        document.add_paragraph("记者｜庞雪")
        table = document.add_table(rows=0, cols=2)
        if header:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = header
        for question, answers in rows:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = question, answers[0]
            for more in answers[1:]:
                cells[1].add_paragraph(more)
        document.add_paragraph("（本文未经受访者审阅）")

    article = parse_bytes(_word(build), name="table.docx")
    assert [(turn.kind, turn.label, turn.paragraphs) for turn in article.turns] == [
        (Kind.QUESTION, "庞雪", ["电芯为什么贵？"]), (Kind.ANSWER, "柯一", ["材料贵。", "人工也贵。"]),
        (Kind.QUESTION, "庞雪", ["什么时候便宜？"]), (Kind.ANSWER, "柯一", ["明年。"]),
        (Kind.QUESTION, "庞雪", ["谁先降价？"]), (Kind.ANSWER, "柯一", ["我们。"])]
    assert article.notes == ["（本文未经受访者审阅）"]


def test_a_table_that_is_not_questions_and_answers_gives_a_paragraph_per_row():
    from archive.lib.transcript.readers import tables

    rows = [[["型号"], ["容量"]], [["A1"], ["40 kWh"]], [["B2"], ["60 kWh"]]]
    assert [text for _, text in tables.blocks(rows)] == ["型号 容量", "A1 40 kWh", "B2 60 kWh"]


def test_a_form_table_at_the_top_of_minutes_is_read_as_header_lines():
    from archive.lib.transcript.readers import tables

    rows = [[["时间"], ["2025年5月6日 10:00"]], [["参会人"], ["周岚（港务集团副总）；林安（海事周刊记者）"]], [["记录人"], ["许沐"]]]
    lines = [text for _, text in tables.blocks(rows)]
    assert lines == ["时间：2025年5月6日 10:00", "参会人：周岚（港务集团副总）；林安（海事周刊记者）", "记录人：许沐"]
    article = parse("港务座谈纪要\n\n" + "\n".join(lines) + "\n\n林安：夜班去哪了？\n\n周岚：交给机器了。\n\n林安：工人呢？\n\n周岚：在控制室。\n",
                    name="minutes.txt")
    assert (str(article.published), article.credits) == ("2025-05-06", ["记录人：许沐"])
    assert [(speaker.name, speaker.role, speaker.description) for speaker in article.speakers] == [
        ("林安", Role.ASKS, "海事周刊记者"), ("周岚", Role.ANSWERS, "港务集团副总")]


def test_block_quoted_and_italic_questions_on_a_page_are_questions():
    page = ("<html><head><meta property='og:title' content='专访柯一：电芯的账'></head><body><article>"
            "<p class='byline'>文／庞雪</p><p>柯一做电池已经十年了，这是他第一次谈成本。</p>"
            "<blockquote><p>电芯为什么贵？</p></blockquote><p>材料贵。</p><p>人工也贵。</p>"
            "<p><em>什么时候便宜？</em></p><p>明年，<em>大概</em>。</p>"
            "<blockquote><p>成本是一切的前提。</p></blockquote><p>这是他的口头禅。</p></article></body></html>")
    article = parse_bytes(page.encode(), name="quotes.html")
    assert [(turn.kind, turn.label) for turn in article.turns] == [
        (Kind.NARRATION, None), (Kind.QUESTION, "庞雪"), (Kind.ANSWER, "柯一"), (Kind.QUESTION, "庞雪"), (Kind.ANSWER, "柯一")]
    assert article.turns[-1].paragraphs == ["明年，大概。", "成本是一切的前提。", "这是他的口头禅。"]


def test_italic_and_quoted_lines_in_markdown_are_set_apart():
    article = parse("# 对话柯一：电芯\n\n文｜庞雪\n\n*电芯为什么贵？*\n\n材料贵。\n\n> 什么时候便宜？\n\n明年。\n\n*本文经受访者审阅。未经授权，请勿转载。*")
    assert [(turn.kind, turn.text) for turn in article.turns] == [
        (Kind.QUESTION, "电芯为什么贵？"), (Kind.ANSWER, "材料贵。"), (Kind.QUESTION, "什么时候便宜？"), (Kind.ANSWER, "明年。")]
    assert article.notes == ["本文经受访者审阅。未经授权，请勿转载。"]


def test_a_page_laid_out_in_styled_spans_inside_sections_reads_like_paragraphs_with_bold_labels():
    section = '<section style="margin:8px 0"><span style="font-size:15px">{}</span></section>'
    bold = '<span style="color:#333;font-weight:700">{}</span>'
    body = "".join([
        section.format("柯一做电池十年了，我们聊了聊成本。"),
        section.format(bold.format("01 成本从哪来")),
        section.format(bold.format("庞雪：") + "<span>电芯为什么贵？</span>"),
        section.format(bold.format("柯一：") + "<span>材料贵。</span>"),
        section.format('<span style="font-style:italic">人工也贵。</span>'),
        section.format(bold.format("庞雪：") + "<span>什么时候便宜？</span>"),
        section.format(bold.format("柯一：") + "<span>明年。</span>"),
    ])
    page = (f"<html><head><meta property='og:title' content='柯一谈电芯'></head><body>"
            f"<div id='js_content' style='visibility:hidden'>{body}</div></body></html>")
    article = parse_bytes(page.encode(), name="sections.html")
    assert [(turn.kind, turn.label) for turn in article.turns] == [
        (Kind.NARRATION, None), (Kind.HEADING, None), (Kind.QUESTION, "庞雪"), (Kind.ANSWER, "柯一"),
        (Kind.QUESTION, "庞雪"), (Kind.ANSWER, "柯一")]
    assert article.turns[1].text == "01 成本从哪来" and article.turns[3].paragraphs == ["材料贵。", "人工也贵。"]


def test_bilingual_subtitles_keep_the_chinese_line_and_drop_its_translation():
    cues = [("庞雪：电芯贵吗？", "Pang Xue: Are cells expensive?"), ("柯一：很贵。", "Ke Yi: Very."),
            ("庞雪：为什么？", "Pang Xue: Why?"), ("柯一：材料。", "Ke Yi: Materials.")]
    srt = "".join(f"{n}\n00:00:0{2 * n},000 --> 00:00:0{2 * n + 1},500\n{zh}\n{en}\n\n" for n, (zh, en) in enumerate(cues, 1))
    article = parse_bytes(srt.encode(), name="two-languages.srt")
    assert [(turn.label, turn.text) for turn in article.turns] == [
        ("庞雪", "电芯贵吗？"), ("柯一", "很贵。"), ("庞雪", "为什么？"), ("柯一", "材料。")]


def test_a_word_cover_page_gives_title_outlet_and_date_and_no_text():
    def build(document):
        document.sections[0].header.paragraphs[0].text = "内部资料"
        document.add_paragraph("山海研究院")
        document.add_paragraph("电芯企业访谈纪要", style="Title")
        document.add_paragraph("2024年2月9日")
        document.add_page_break()
        document.add_paragraph("访谈对象：柯一（山海电池总经理）")
        document.add_paragraph("访谈人：庞雪")
        document.add_paragraph("记录：林默")
        for text in ("庞雪：贵吗？", "柯一：贵。", "庞雪：为什么？", "柯一：材料。"):
            document.add_paragraph(text)

    article = parse_bytes(_word(build), name="cover.docx")
    assert (article.title, article.outlet, str(article.published)) == ("电芯企业访谈纪要", "山海研究院", "2024-02-09")
    assert article.credits == ["记录：林默"]
    assert [(s.name, s.role, s.description) for s in article.speakers] == [
        ("庞雪", Role.ASKS, ""), ("柯一", Role.ANSWERS, "山海电池总经理")]
    assert [turn.text for turn in article.turns] == ["贵吗？", "贵。", "为什么？", "材料。"]


def test_a_pages_subtitle_is_its_deck_and_a_subscribe_box_is_a_note_inside_the_body_and_chrome_outside():
    page = ("<html><head><meta property='og:title' content='Cells and costs'></head><body><div class='post'>"
            "<h1>Cells and costs</h1><h3 class='subtitle'>Why batteries got cheaper.</h3><div class='body'>"
            "<p>Ke Yi has made battery cells for ten years.</p><p><b>Ivo Marsh:</b> Why cheaper?</p><p><b>Ke Yi:</b> Scale.</p>"
            "<div class='subscription-widget'><p>Subscribe for a new interview every week.</p></div>"
            "<p><b>Ivo Marsh:</b> And next?</p><p><b>Ke Yi:</b> Sodium.</p></div></div>"
            "<section class='newsletter-box'><p>Get our newsletter, subscribe today.</p></section></body></html>")
    article = parse_bytes(page.encode(), name="post.html")
    assert article.deck == "Why batteries got cheaper."
    assert article.notes == ["Subscribe for a new interview every week."]
    assert [turn.text for turn in article.turns] == ["Ke Yi has made battery cells for ten years.", "Why cheaper?", "Scale.", "And next?", "Sodium."]


def test_a_speaker_line_with_the_colon_before_the_time():
    export = "交流会（速记）\n2024.2.9 宁波\n\n主持人（庞雪）：00:00:03\n先谈成本？\n\n嘉宾A（柯一，山海电池）：00:00:15\n材料贵。\n"
    article = parse(export, name="minutes.txt")
    assert article.format == "timecoded" and str(article.published) == "2024-02-09" and article.title == "交流会（速记）"
    assert [(turn.label, turn.start) for turn in article.turns] == [("庞雪", 3.0), ("柯一", 15.0)]


def test_a_speaker_line_whose_name_and_time_are_set_apart_by_a_bar():
    export = ("泵站改造座谈\n\n发言人A | 00:00:04\n水泵换了没有？\n\n发言人B ｜ 00:00:31\n换了两台。\n\n"
              "00:01:02 | 发言人A\n省了多少电？\n\n00:01:20 丨 发言人B\n三成。\n")
    article = parse(export, name="pumps.txt")
    assert article.format == "timecoded"
    assert [(turn.label, turn.start, turn.text) for turn in article.turns] == [
        ("发言人A", 4.0, "水泵换了没有？"), ("发言人B", 31.0, "换了两台。"), ("发言人A", 62.0, "省了多少电？"), ("发言人B", 80.0, "三成。")]


def test_subtitles_with_names_in_capitals_a_narrator_and_sound_cues():
    srt = ("1\n00:00:01,000 --> 00:00:03,000\nNARRATOR: The harbour cranes run at night.\n\n"
           "2\n00:00:03,500 --> 00:00:05,000\n[HORN BLARING]\n\n"
           "3\n00:00:05,500 --> 00:00:07,000\nPRIYA NANDA: Who drives them?\n\n"
           "4\n00:00:07,500 --> 00:00:09,000\nTOMAS REYES-OLIN: Nobody, since March.\n\n"
           "5\n00:00:09,000 --> 00:00:10,000\n(laughter)\n\n"
           "6\n00:00:10,500 --> 00:00:12,000\nPRIYA NANDA: And the unions?\n\n"
           "7\n00:00:12,500 --> 00:00:14,000\nTOMAS REYES-OLIN: They signed. CEO: that was me.\n")
    article = parse_bytes(srt.encode(), name="cranes.srt")
    assert [(turn.kind, turn.label, turn.start, turn.end, turn.text) for turn in article.turns] == [
        (Kind.NARRATION, None, 1.0, 3.0, "The harbour cranes run at night."),
        (Kind.QUESTION, "Priya Nanda", 5.5, 7.0, "Who drives them?"),
        (Kind.ANSWER, "Tomas Reyes-Olin", 7.5, 9.0, "Nobody, since March."),
        (Kind.QUESTION, "Priya Nanda", 10.5, 12.0, "And the unions?"),
        (Kind.ANSWER, "Tomas Reyes-Olin", 12.5, 14.0, "They signed. CEO: that was me.")]
    assert "NARRATOR" not in {speaker.name.upper() for speaker in article.speakers}


def test_a_narrators_words_in_a_documentary_script_are_narration():
    script = ("港口的夜班\n\n旁白：凌晨两点，码头上只剩下吊机在动。\n\n林安：谁在开这些吊机？\n\n周启航：没有人，三月起就自动了。\n\n"
              "旁白：天亮以前，最后一艘船离港。\n\n林安：工人呢？\n\n周启航：在控制室里。\n")
    article = parse(script, name="night.txt")
    assert [(turn.kind, turn.label) for turn in article.turns] == [
        (Kind.NARRATION, None), (Kind.QUESTION, "林安"), (Kind.ANSWER, "周启航"),
        (Kind.NARRATION, None), (Kind.QUESTION, "林安"), (Kind.ANSWER, "周启航")]
    assert article.turns[0].text == "凌晨两点，码头上只剩下吊机在动。"
    assert {speaker.name for speaker in article.speakers} == {"林安", "周启航"}


def test_decorative_marks_before_section_titles_and_the_pointer_before_a_caption_are_not_stored():
    text = ("风场巡检的一天\n\n▍先看叶片\n\n许沐：叶片最怕什么？\n\n钟岚：怕雷，也怕冰。\n\n图：巡检无人机停在塔筒旁\n\n"
            "◆ 再看齿轮箱\n\n许沐：齿轮箱呢？\n\n钟岚：怕漏油。\n\n图源：受访者提供\n")
    article = parse(text, name="wind.txt")
    assert [(turn.kind, turn.text) for turn in article.turns if turn.kind in (Kind.HEADING, Kind.CAPTION)] == [
        (Kind.HEADING, "先看叶片"), (Kind.CAPTION, "巡检无人机停在塔筒旁"), (Kind.HEADING, "再看齿轮箱"), (Kind.CAPTION, "图源：受访者提供")]


def test_a_definition_lists_terms_that_ask_are_questions():
    page = ("<html><head><meta property='og:title' content='Q&amp;A with Ke Yi'></head><body><article>"
            "<p class='byline'>By Ivo Marsh</p><p>Ke Yi makes battery cells.</p><dl><dt>Why cheaper?</dt><dd>Scale.</dd>"
            "<dt>And next?</dt><dd>Sodium.</dd><dd>Then solid state.</dd></dl></article></body></html>")
    article = parse_bytes(page.encode(), name="dl.html")
    assert [(turn.kind, turn.label, turn.paragraphs) for turn in article.turns][1:] == [
        (Kind.QUESTION, "Ivo Marsh", ["Why cheaper?"]), (Kind.ANSWER, "Ke Yi", ["Scale."]),
        (Kind.QUESTION, "Ivo Marsh", ["And next?"]), (Kind.ANSWER, "Ke Yi", ["Sodium.", "Then solid state."])]


def test_questions_set_as_headings_with_plain_answers_and_a_warning_when_no_one_is_named():
    page = ("<html><head><meta property='og:title' content='Ask the engineer'><meta property='og:site_name' content='Grid Letters'>"
            "</head><body><article><p>Readers asked about batteries.</p><h3>Why less range in winter?</h3><p>Cold chemistry.</p>"
            "<h3>Does preheating help?</h3><p>A lot.</p></article></body></html>")
    article = parse_bytes(page.encode(), name="headings.html")
    assert [(turn.kind, turn.label) for turn in article.turns] == [
        (Kind.NARRATION, None), (Kind.QUESTION, "Grid Letters"), (Kind.ANSWER, None), (Kind.QUESTION, "Grid Letters"), (Kind.ANSWER, None)]
    assert any("who answers" in warning.message for warning in article.warnings)


def test_a_recorders_export_pasted_into_a_word_file_keeps_its_time_codes():
    def build(document):
        document.add_paragraph("电芯访谈录音整理", style="Title")
        for line in ("庞雪 00:00:05", "电芯为什么贵？", "柯一 00:00:12", "材料贵。", "[00:00:30] 庞雪：什么时候便宜？", "[00:00:36] 柯一：明年。"):
            document.add_paragraph(line)

    article = parse_bytes(_word(build), name="recording.docx")
    assert article.format == "docx"
    assert [(turn.label, turn.start, turn.text) for turn in article.turns] == [
        ("庞雪", 5.0, "电芯为什么贵？"), ("柯一", 12.0, "材料贵。"), ("庞雪", 30.0, "什么时候便宜？"), ("柯一", 36.0, "明年。")]


def test_a_title_in_a_labels_shape_above_header_lines_is_the_title():
    text = ("周岚：港口不会再有夜班\n\n来源：海事周刊\n时间：2025年3月1日\n\n周岚在港口干了二十年。去年，她的码头换上了无人吊机。\n\n"
            "林安：夜班去哪了？\n\n周岚：交给机器了。\n\n林安：工人呢？\n\n周岚：在控制室里。\n")
    article = parse(text, name="port.txt")
    assert (article.title, article.outlet, str(article.published)) == ("周岚：港口不会再有夜班", "海事周刊", "2025-03-01")
    assert [(turn.kind, turn.label) for turn in article.turns] == [
        (Kind.NARRATION, None), (Kind.QUESTION, "林安"), (Kind.ANSWER, "周岚"), (Kind.QUESTION, "林安"), (Kind.ANSWER, "周岚")]


def test_markdown_with_a_time_on_each_paragraph_stays_markdown_and_keeps_the_times():
    notes = ("---\ntitle: Tides and turbines\n---\n\n# Tides and turbines\n\n"
             "[00:00:05] **Ana Reis:** Why build under water?\n\n[00:00:12] **Jo Lund:** The tide never stops.\n\n"
             "[00:00:30] **Ana Reis:** And the salt?\n\n[00:00:41] **Jo Lund:** We paint a lot.\n")
    article = parse_bytes(notes.encode(), name="tides.md")
    assert (article.format, article.title) == ("markdown", "Tides and turbines")
    assert [(turn.label, turn.start) for turn in article.turns] == [("Ana Reis", 5.0), ("Jo Lund", 12.0), ("Ana Reis", 30.0), ("Jo Lund", 41.0)]


def test_questions_set_as_headings_are_asked_by_whom_the_closing_credit_names():
    post = ("---\ntitle: 专访钟岚：风机也要体检\ndate: 2025-06-01\n---\n\n钟岚做了十年风机运维。她说，风机和人一样，要定期体检。\n\n"
            "### 风机最怕什么？\n\n怕雷，也怕冰。\n\n### 体检多久一次？\n\n半年一次。\n\n---\n\n采访、整理：许沐\n")
    article = parse_bytes(post.encode(), name="wind.md")
    assert [(turn.kind, turn.label) for turn in article.turns] == [
        (Kind.NARRATION, None), (Kind.QUESTION, "许沐"), (Kind.ANSWER, "钟岚"), (Kind.QUESTION, "许沐"), (Kind.ANSWER, "钟岚")]


def test_questions_in_lenticular_brackets_and_a_guest_labelled_by_surname_and_title():
    text = ("海川船舶林启东：造一条慢船\n\n文/许沐\n\n林启东在船厂干了三十年。今年，他的船厂只接了两条船。\n\n"
            "【为什么只接两条？】\n\n林总：多了做不好。\n\n一条船要两年，急不得。\n\n"
            "【客户不催吗？】\n\n林总：催也没用。\n")
    article = parse(text, name="ships.txt")
    assert [(turn.kind, turn.label, turn.paragraphs) for turn in article.turns] == [
        (Kind.NARRATION, None, ["林启东在船厂干了三十年。今年，他的船厂只接了两条船。"]),
        (Kind.QUESTION, "许沐", ["为什么只接两条？"]),
        (Kind.ANSWER, "林启东", ["多了做不好。", "一条船要两年，急不得。"]),
        (Kind.QUESTION, "许沐", ["客户不催吗？"]),
        (Kind.ANSWER, "林启东", ["催也没用。"])]
    assert [speaker.name for speaker in article.speakers if speaker.role is Role.ANSWERS] == ["林启东"]


def test_a_surname_and_title_stays_as_written_when_two_people_of_that_name_are_named():
    text = ("林启东、林晓：父女造船\n\n【谁先入行？】\n\n林总：我。\n\n【后来呢？】\n\n林总：她跟着来了。\n")
    assert {turn.label for turn in parse(text, name="ships.txt").turns if turn.kind is Kind.ANSWER} == {"林总"}


def test_a_forum_thread_is_its_opening_post_then_its_comments_as_questions_and_the_posters_answers():
    def comment(author, words, replies="", badge=""):
        return (f"<div class='comment'><div class='meta'><span class='author'>{author}</span>{badge}<span class='votes'>12</span></div>"
                f"<div class='comment-text'><p>{words}</p></div><div class='comment-actions'>回复 · 分享</div>{replies}</div>")

    poster = "<b class='op-badge'>楼主</b>"
    page = ("<html><head><meta property='og:title' content='我是沈砚，做了八年电池回收，有问必答'>"
            "<meta property='og:site_name' content='铁锈论坛'></head><body><main>"
            "<article class='post'><h1>我是沈砚，做了八年电池回收，有问必答</h1><div class='post-body'><p>大家好，我在一家回收厂管技术。"
            "今天下午都在，欢迎提问。</p></div><div class='post-actions'>赞 88 · 评论 40</div></article>"
            "<section class='comments'><div class='sort'>按热度</div>"
            + comment("管理员", "本帖已经版主核实身份。", badge="").replace("class='comment'", "class='comment stickied'", 1)
            + comment("青岛老王", "旧电池最值钱的是什么？", comment("shenyan", "钴和镍，锂其次。", badge=poster))
            + comment("小满", "回收安全吗？", comment("shenyan", "拆解前要先放电。", comment("小满", "放电要多久？", comment("shenyan", "一天左右。", badge=poster)), badge=poster))
            + "<div class='more-comments'>查看更多评论</div></section></main></body></html>")
    article = parse_bytes(page.encode(), name="ama.html")
    assert (article.title, article.outlet, article.notes) == ("我是沈砚，做了八年电池回收，有问必答", "铁锈论坛", ["本帖已经版主核实身份。"])
    names = {speaker.label: speaker.name for speaker in article.speakers}
    assert [(turn.kind, names.get(turn.label), turn.text) for turn in article.turns] == [
        (Kind.NARRATION, None, "大家好，我在一家回收厂管技术。今天下午都在，欢迎提问。"),
        (Kind.QUESTION, "青岛老王", "旧电池最值钱的是什么？"), (Kind.ANSWER, "沈砚", "钴和镍，锂其次。"),
        (Kind.QUESTION, "小满", "回收安全吗？"), (Kind.ANSWER, "沈砚", "拆解前要先放电。"),
        (Kind.QUESTION, "小满", "放电要多久？"), (Kind.ANSWER, "沈砚", "一天左右。")]
