"""Write this corpus's .docx files (python-docx). Run by hand after editing the text:

    .venv/bin/python tests/data/ingest-heldout-2/_make_docx.py

The text of both documents lives here and nowhere else. The output is
byte-for-byte reproducible: fixed document properties and fixed timestamps
inside the zip, so rerunning it changes nothing unless the text changed.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
FIXED = datetime.datetime(2025, 1, 1, 0, 0, 0)


def grey_png(width: int = 48, height: int = 32) -> bytes:
    """A small grey PNG standing in for a photograph (written here, no image files)."""
    rows = b"".join(b"\x00" + bytes([0x99, 0x99, 0x99]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def labelled(document, label: str, text: str) -> None:
    """A paragraph whose speaker label is a bold run, as people type them in Word."""
    paragraph = document.add_paragraph()
    paragraph.add_run(label).bold = True
    paragraph.add_run(text)


def new_document(header: str, footer: str):
    document = Document()
    document.styles["Normal"].font.size = Pt(11)
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    properties = document.core_properties
    properties.author = "corpus"
    properties.last_modified_by = "corpus"
    properties.created = FIXED
    properties.modified = FIXED
    properties.revision = 1
    return document


def save(document, name: str) -> None:
    """Save with fixed zip timestamps so the bytes depend only on the text."""
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))
    (HERE / name).write_bytes(out.getvalue())
    print(f"wrote {name}")


def minutes_with_header_table() -> None:
    """A venture fund's meeting-minutes template: Title, a 时间/地点/参会人/记录人 table, Q&A."""
    document = new_document("星河资本 · 内部资料 · 严格保密", "第 1 页")
    document.add_paragraph("矽睿半导体创始人访谈纪要", style="Title")
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for key, value in (
        ("时间", "2025年9月3日 14:00—15:30"),
        ("地点", "星河资本上海办公室 3号会议室"),
        ("参会人", "韩东（矽睿半导体创始人、CEO）；田蕾（星河资本合伙人）；孙可（星河资本研究员）"),
        ("记录人", "孙可"),
    ):
        cells = table.add_row().cells
        cells[0].text = key
        cells[1].text = value
        cells[0].width = Cm(3)
    document.add_paragraph()

    document.add_paragraph("一、公司与产品", style="Heading 1")
    labelled(document, "田蕾：", "先请韩总简单介绍一下矽睿现在的产品线和团队规模。")
    labelled(document, "韩东：", "矽睿成立于2021年，做的是面向端侧的AI推理芯片。团队现在一百四十人，其中研发一百一十人。")
    document.add_paragraph("第一代芯片R1去年量产，主要用在安防摄像头和工业质检相机上，累计出货六十多万颗。第二代R2今年七月回片，目前在做客户导入。")
    labelled(document, "田蕾：", "R2相比R1，主要提升在哪里？")
    labelled(document, "韩东：", "算力提高到原来的四倍，功耗基本不变。更重要的是支持了Transformer类的模型，R1只能跑卷积网络，这是客户过去反馈最多的问题。")

    document.add_paragraph("二、客户与竞争", style="Heading 1")
    document.add_paragraph("（韩东现场演示了R2测试板运行目标检测模型，过程略。）")
    labelled(document, "田蕾：", "目前R2导入的客户主要是哪些类型？")
    labelled(document, "韩东：", "两类。一类是老客户升级，安防和质检相机厂商，他们想在相机里直接跑小的视觉大模型，不再把视频传回服务器。")
    document.add_paragraph("另一类是新客户，主要是做服务机器人和AI眼镜的，他们对功耗非常敏感。R2在两瓦以内就能跑起来，这是我们拿下他们的关键。")
    labelled(document, "田蕾：", "和海外厂商相比，价格优势有多大？")
    labelled(document, "韩东：", "同等算力下，我们的报价大概是海外主流产品的六成。但我不太愿意只讲价格，客户真正在意的是我们能派工程师驻场，帮他们把模型量化、部署好。")
    labelled(document, "田蕾：", "我们比较关心毛利，现在的水平能维持吗？")
    labelled(document, "韩东：", "R1的毛利在四成左右，R2会低一些，因为用了更先进的工艺，流片成本高。")
    document.add_paragraph("我们的判断是，出货量过了一百万颗以后，毛利会回到四成。前提是明年的晶圆价格不要再涨。")

    document.add_paragraph("三、后续安排", style="Heading 1")
    document.add_paragraph("星河资本研究部两周内完成R2与同类产品的对比测试报告，下次沟通时间另行约定。")
    note = document.add_paragraph()
    note.add_run("本纪要未经受访方审阅，仅供星河资本内部投资决策参考，请勿外传。").italic = True
    save(document, "xinghe-capital-chip-ceo-minutes.docx")


def panel_where_the_moderator_answers() -> None:
    """A community's round-table transcript: header lines, a photo with a Caption, labels in bold."""
    document = new_document("瑶光社区 | 活动实录", "瑶光AI开发者大会 2025")
    document.add_paragraph("圆桌实录｜智能体落地，卡在哪一步", style="Title")
    for line in (
        "来源：瑶光社区",
        "时间：2025年11月22日",
        "地点：深圳·瑶光AI开发者大会分论坛",
        "主持人：易帆（瑶光社区主编）",
        "嘉宾：沈佳（云岫机器人CTO）、白若川（栈桥科技创始人）、葛晓楠（律衡数据合规负责人）",
        "整理：郑可",
    ):
        document.add_paragraph(line)
    document.add_paragraph(
        "11月22日，在瑶光AI开发者大会的“智能体工程”分论坛上，三位来自机器人、开发工具和数据合规领域的嘉宾，"
        "讨论了智能体从演示走向生产时遇到的真实问题。以下为圆桌实录，有删节。"
    )
    document.add_picture(io.BytesIO(grey_png()), width=Cm(12))
    document.add_paragraph("圆桌现场。左起：易帆、沈佳、白若川、葛晓楠", style="Caption")

    moderator = "易帆（主持人）："
    document.add_paragraph("一、成本：一个任务到底花多少钱", style="Heading 2")
    labelled(document, moderator, "先从最实际的问题开始。大家都在做智能体，但很少有人公开算账：让智能体完成一个任务，到底要花多少钱？沈佳先来？")
    labelled(document, "沈佳：", "我们在仓库里用智能体调度机器人，一个拣货任务，大模型调用的费用大概是两三分钱，听起来很便宜。")
    document.add_paragraph("但真正贵的是失败。智能体判断错一次，机器人白跑一趟，再加上人工介入，一次失败的成本是成功的几十倍。所以我们算账从来不算单次调用，而是算“每一千个任务里有几次要人来收拾”。")
    labelled(document, "白若川：", "我同意沈佳的算法。我们做编程智能体，单看token费用，一个中等规模的修改需求大概几块钱；但如果它改错了，工程师要花半小时回滚，这几块钱就没有意义了。")
    labelled(document, "葛晓楠：", "我从另一个角度补充。合规成本经常被漏算：智能体每调用一次外部工具，就可能把数据送出企业边界，每一个调用点都要做评估、留日志。有的客户光这部分投入，就超过了模型费用。")
    labelled(document, "沈佳：", "葛老师说的这点我们深有体会。去年有个客户因为日志不合规，整个项目推迟了四个月上线。")

    document.add_paragraph("二、可靠性：出了错谁来兜底", style="Heading 2")
    labelled(document, moderator, "接下来谈可靠性。智能体出了错，现在通常是谁来负责？")
    labelled(document, "白若川：", "在我们的产品里，原则是智能体只提建议，最后一步必须由人确认。代码合并、发布上线，这两个按钮永远是人按的。")
    document.add_paragraph("这样效率会低一些，但客户敢用。说到这里我也想反问一下易帆：你做开发者社区这么多年，你觉得开发者最担心的是什么？")
    labelled(document, moderator, "我的感受是，开发者最担心的不是智能体会犯错，而是犯了错查不出原因。同样的输入，今天对、明天错，日志里又看不出差别，这比错误本身更让人崩溃。")
    document.add_paragraph("那我们请葛晓楠从合规的角度谈谈，出了问题，责任怎么划分？")
    labelled(document, "葛晓楠：", "在目前的法律框架下，责任还是落在部署智能体的企业身上，不会因为“是AI做的”而减轻。所以我们建议客户把智能体的每一步操作都留痕，出了问题至少能还原过程。")
    document.add_paragraph("另外，合同里要写清楚模型供应商的责任边界。现在很多合同在这一条上写得很模糊。")
    labelled(document, "沈佳：", "我们的做法是给每个智能体设“权限预算”：它一天最多能调度多少台机器人、能动多少库存，超出了就自动停下来，等人批准。")

    document.add_paragraph("三、明年最值得关注的变化", style="Heading 2")
    labelled(document, moderator, "最后请每位用一句话说说，明年你最关注的变化。")
    labelled(document, "葛晓楠：", "智能体相关的国家标准，预计明年会出征求意见稿。")
    labelled(document, "白若川：", "模型自己写测试、自己验证的能力，这是编程智能体能不能真正放手的关键。")
    labelled(document, "沈佳：", "机器人和智能体的结合，明年会有一批真正上线的仓储项目。")
    labelled(document, moderator, "谢谢三位嘉宾，也谢谢现场的各位。")

    document.add_paragraph("本实录由瑶光社区志愿者根据现场录音整理，嘉宾发言未经本人审定，如有出入，以现场录音为准。")
    document.add_paragraph("转载请联系瑶光社区小助手（微信号：yaoguang-ai），并保留本文全部信息。")
    save(document, "yaoguang-forum-agents-panel.docx")


if __name__ == "__main__":
    minutes_with_header_table()
    panel_where_the_moderator_answers()
