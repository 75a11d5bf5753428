"""Write this corpus's Word files. The words are the corpus's own.

    .venv/bin/python tests/data/ingest-heldout/_make_docx.py

python-docx (pinned in requirements.txt) builds each document the way a
newsroom's Word file really is: a Q&A laid out as a two-column table, an
institute's minutes with a cover page, page header and footer and
hand-made bold numbered headings, a feature whose questions are italic.
The picture is a small solid PNG made here, so nothing is downloaded.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
TUNING = HERE.parent / "ingest-tuning"  # the half of this corpus the parser was tuned on lives there


def png(width: int = 96, height: int = 64, rgb: tuple[int, int, int] = (70, 110, 160)) -> io.BytesIO:
    """A solid-colour PNG, enough for Word to hold an inline picture."""
    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    data += chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    return io.BytesIO(data)


def fixed_core(document: Document, title: str) -> None:
    """Stable metadata, so that running the script again gives the same text."""
    core = document.core_properties
    core.title = title
    core.author = "editor"
    core.last_modified_by = "editor"
    core.revision = 1


# --- 1. Q&A as a two-column table -------------------------------------------

TABLE_QA = [
    ("今年机器人融资很热，你感受到的热度和数据一致吗？",
     ["比数据显示的还热。很多项目天使轮就要求几亿元估值，创始人手里握着三四份投资意向书。",
      "但热度集中在人形机器人，做工业机械臂、做巡检的公司融资反而比去年难。"]),
    ("你们今年出手了几次？",
     ["两次，都是老项目的跟投。新项目我们看了六十多个，一个都没投。"]),
    ("为什么一个都没投？",
     ["价格和进度对不上。一家公司估值三十亿，但连一台能连续工作八小时的样机都没有。我们不反对贵，我们反对贵得没有依据。"]),
    ("你怎么判断一家机器人公司有没有真东西？",
     ["去现场。不看视频，看机器人在现场连续工作一天的日志：停机几次、人工干预几次、每次干预花了多久。",
      "还有一个简单的指标：工程师里做现场部署的人占多少。只有研发、没有部署工程师的公司，多半还没真正卖过货。"]),
    ("大模型会改变机器人的投资逻辑吗？",
     ["会改变估值的天花板，但不改变生意的本质。机器人最后还是要卖给工厂、仓库和医院，客户只看它能不能稳定干活、多久回本。"]),
    ("你最看好哪个细分方向？",
     ["特种场景，比如电力巡检、化工厂和矿山。那里人工难招、环境危险，客户付费意愿强，对机器人“长得像不像人”毫不在意。"]),
    ("如果泡沫破了，会是什么样子？",
     ["不会是一夜之间。更可能是下一轮融资时，一批公司发现估值只能打对折，然后开始合并。那时候手里有订单和现金流的公司会活得很好。"]),
    ("最后，对正在融资的机器人创业者，你有什么建议？",
     ["少拍视频，多找一个愿意付钱的客户。一个真实的付费客户，比十个演示视频更能说服我。"]),
]


def robotics_fund_table() -> None:
    title = "专访星野资本合伙人贺兰：机器人赛道的钱去哪了"
    document = Document()
    fixed_core(document, title)
    document.add_paragraph(title, style="Title")
    for line in ("时间：2025年9月3日", "地点：上海", "采访：钟晴", "整理：钟晴、杜若"):
        document.add_paragraph(line)
    document.add_paragraph(
        "今年上半年，机器人领域的融资额同比翻了一番，但钱越来越集中在少数头部公司。星野资本合伙人贺兰过去五年投了"
        "十一家机器人公司，我们请她聊聊这一轮热潮里投资人在想什么。"
    )
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ("问题", "回答")):
        cell.paragraphs[0].add_run(text).bold = True
    for question, answer in TABLE_QA:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(question)
        cells[1].paragraphs[0].add_run(answer[0])
        for more in answer[1:]:
            cells[1].add_paragraph(more)
    for row in table.rows:
        row.cells[0].width = Cm(5)
        row.cells[1].width = Cm(11)
    document.add_paragraph("（本文未经受访者审阅。）")
    document.save(TUNING / "robotics-fund-partner-table-qa.docx")


# --- 2. Minutes with cover page, header/footer, bold numbered headings -------

MINUTES = [
    ("heading", "一、价格为什么跌得这么快"),
    ("问", "过去一年，高端GPU的租赁价格跌了多少？"),
    ("答", "按整机月租算，跌了四成左右。去年上半年一台八卡服务器一个月要十几万元，现在很多小机房的报价已经腰斩。"),
    ("", "主要原因是供给。前两年大家抢卡，很多机房是按“能买到多少就买多少”建的，现在这批卡集中上架了。"),
    ("问", "需求没有跟上吗？"),
    ("答", "训练需求在集中，推理需求在分散。大厂自己建集群训练，不太租外面的卡；推理需求在增长，但推理对卡的要求低，愿意付的价格也低。"),
    ("heading", "二、谁在亏钱"),
    ("问", "在这个价格下，哪些机房在亏钱？"),
    ("答", "高息贷款买卡、又没有长期合同的机房。卡的折旧按三年算，如果利用率低于六成，基本就是亏的。"),
    ("问", "大的云服务商呢？"),
    ("答", "大厂有自己的业务消化算力，压力小很多。它们反而在趁这个时候签长约，锁定便宜的算力。"),
    ("heading", "三、推理会不会是出路"),
    ("问", "很多机房开始转型做推理服务，这条路走得通吗？"),
    ("答", "技术上走得通，商业上要看规模。推理服务要做调度、做缓存、做监控，软件投入很大，只有几百张卡的机房很难摊薄这部分成本。"),
    ("", "我的判断是，未来一两年会有一轮整合，小机房要么被收购，要么变成大平台的供货方。"),
    ("问", "国产卡在推理市场有机会吗？"),
    ("答", "有，而且比在训练市场机会大。推理对软件生态的要求低一些，对价格更敏感，这正好是国产卡的优势。"),
    ("heading", "四、给从业者的建议"),
    ("问", "如果现在要投资一个算力项目，你最看重什么？"),
    ("答", "三样东西：长期合同、电价和运维团队。卡谁都买得到，这三样买不到。"),
    ("问", "最后，你对明年的价格怎么判断？"),
    ("答", "还会再跌一些，但跌幅会收窄。到明年下半年，价格应该会回到一个大家都能赚一点小钱的水平。"),
]


def page_number_field(paragraph) -> None:
    paragraph.add_run("第 ")
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    paragraph.add_run(" 页")


def compute_rental_minutes() -> None:
    title = "算力租赁的账本：与一位云架构师的对话"
    document = Document()
    fixed_core(document, title)
    section = document.sections[0]
    section.header.paragraphs[0].text = "星河研究院｜产业访谈纪要（内部交流，请勿外传）"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page_number_field(footer)

    for text, size, bold in (("星河研究院", 26, True), ("产业访谈纪要 · 第7期", 16, False)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size, run.bold = Pt(size), bold
    document.add_paragraph(title, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
    date = document.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date.add_run("2025年5月20日")
    date.add_run().add_break(WD_BREAK.PAGE)

    for line in ("访谈对象：吴晓峰（某云服务商资深架构师）", "访谈人：韩蕾", "记录：欧阳静"):
        document.add_paragraph(line)
    for label, text in MINUTES:
        paragraph = document.add_paragraph()
        if label == "heading":
            run = paragraph.add_run(text)
            run.bold = True
            run.font.size = Pt(12)
        else:
            paragraph.add_run(f"{label}：{text}" if label else text)
    document.add_paragraph("【免责声明】本纪要仅供内部交流，不构成任何投资建议，未经许可不得外传。")
    document.add_paragraph("（纪要完）").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.save(HERE / "compute-rental-minutes-cover-page.docx")


# --- 3. Feature with italic questions and a captioned picture ----------------

def ai_tutor_italic_questions() -> None:
    title = "专访灵犀助教创始人方若琳：AI家教不该只会讲题"
    document = Document()
    fixed_core(document, title)
    document.add_paragraph(title, style="Title")
    byline = document.add_paragraph()
    byline.add_run("采访、文｜罗丹　　图｜受访者提供").font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    document.add_paragraph(
        "方若琳做了十年中学数学老师，三年前创办灵犀助教，做一款面向初中生的AI辅导应用。和市面上“拍照搜题”的产品不同，"
        "灵犀助教不直接给答案，而是一步步追问学生的思路。目前它在四个省的六十多所学校试用。"
    )

    def question(text: str) -> None:
        document.add_paragraph().add_run(text).italic = True

    document.add_heading("不给答案的AI", level=2)
    question("为什么坚持不直接给答案？")
    document.add_paragraph(
        "因为给答案太容易了，而学生真正缺的不是答案。一个孩子做错一道题，原因可能是概念没懂，也可能只是抄错了数字，"
        "这两种情况需要完全不同的帮助。"
    )
    question("AI怎么判断是哪一种？")
    document.add_paragraph("它会先让学生讲自己的思路，哪怕只讲一句。模型根据学生的话和草稿照片，推测错在哪一步，再决定追问什么。")
    document.add_picture(png(), width=Cm(12))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("灵犀助教的对话界面：学生随时可以打断AI，说“我没听懂”", style="Caption")
    document.add_paragraph("我们刻意让学生能随时打断它。好老师讲课时也会被打断，这很正常。")
    question("学生不会觉得烦吗？")
    document.add_paragraph("一开始会。我们做过测试，第一周有三成学生嫌它“啰嗦”。但坚持用一个月的学生，单元测验平均分提高了八分左右。")

    document.add_heading("老师的位置", level=2)
    question("有了AI辅导，老师会被取代吗？")
    document.add_paragraph("不会，老师的工作会变得更像教练。我们给老师一个后台，能看到全班学生卡在哪些知识点上，第二天上课就可以有针对性地讲。")
    paragraph = document.add_paragraph("我很喜欢一本老书，")
    paragraph.add_run("The Patient Tutor").italic = True
    paragraph.add_run("，里面说好的辅导是让学生自己走到答案面前。我们的产品其实就是在试着把这句话做成软件。")
    question("你们怎么避免AI讲错？")
    document.add_paragraph("数学题我们会用程序验算每一步，不让模型自己“心算”。模型负责对话，计算交给验算器。讲错的情况还是有，我们每周人工抽查两千段对话。")
    question("下一步打算做什么？")
    document.add_paragraph("物理。物理题需要画受力图，这对现在的模型还是挑战，我们正在和两所师范大学一起做。")
    document.add_paragraph("本文首发于「灯塔教育观察」，经授权转载。")
    document.save(TUNING / "ai-tutor-founder-italic-questions.docx")


def main() -> None:
    robotics_fund_table()
    compute_rental_minutes()
    ai_tutor_italic_questions()


if __name__ == "__main__":
    main()
