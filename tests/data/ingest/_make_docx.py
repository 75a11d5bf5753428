"""Write the corpus's Word files (.docx cannot be typed by hand).

The text is this corpus's own. Each document is built the way an editor's
Word file is: a Title or Heading 1 for the headline, header lines, Heading 2
section titles, labels as bold runs (or whole questions in bold), a picture
with a Caption paragraph under it, closing notes in small grey type. Run it
after editing (python-docx, installed in the project's .venv):

    .venv/bin/python tests/data/ingest/_make_docx.py

The files are rewritten with fixed document properties so that running it
again changes nothing but what the text changed.
"""

from __future__ import annotations

import datetime
import io
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.shared import Pt, RGBColor, Cm

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime.datetime(2025, 1, 1, 9, 0, 0)


def png(width: int = 64, height: int = 40, rgb: tuple[int, int, int] = (90, 120, 160)) -> io.BytesIO:
    """A small solid-colour PNG standing in for a photograph."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    return io.BytesIO(data)


class Writer:
    def __init__(self, author: str):
        self.doc = Document()
        props = self.doc.core_properties
        props.author = author
        props.last_modified_by = author
        props.created = FIXED_TIME
        props.modified = FIXED_TIME
        props.revision = 1
        props.title = ""

    def title(self, text: str, style: str = "Title") -> None:
        self.doc.add_paragraph(text, style=style)

    def heading(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Heading 2")

    def plain(self, text: str) -> None:
        self.doc.add_paragraph(text)

    def labelled(self, label: str, text: str) -> None:
        """A bold label run, then the words in a plain run (how editors type it)."""
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(label).bold = True
        paragraph.add_run(text)

    def bold(self, text: str) -> None:
        self.doc.add_paragraph().add_run(text).bold = True

    def picture(self, caption: str | None) -> None:
        self.doc.add_paragraph().add_run().add_picture(png(), width=Cm(12))
        if caption is not None:
            self.doc.add_paragraph(caption, style="Caption")

    def note(self, text: str) -> None:
        run = self.doc.add_paragraph().add_run(text)
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    def save(self, name: str) -> None:
        """Save with fixed timestamps inside the zip, so a rerun gives the same bytes."""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(HERE / name, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                fixed = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
                fixed.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(fixed, source.read(item.filename))
        print(name)


def humanoid_data_roundtable() -> None:
    w = Writer("张薇")
    w.title("具身智能圆桌：机器人的数据从哪里来")
    w.plain("时间：2025年4月26日")
    w.plain("地点：北京中关村")
    w.plain("主持人：张薇（《具身周刊》主编）")
    w.plain("嘉宾：林可（清源大学机器人实验室副教授）")
    w.plain("嘉宾：彭浩（灵犀具身CEO）")
    w.plain("嘉宾：宋佳琪（云栖物流自动化总监）")
    w.plain("整理：杜若")
    w.plain("大模型靠互联网上的文字长大，机器人却没有一个现成的“互联网”可以学。在本期圆桌上，来自高校、创业公司和物流企业的三位嘉宾，讨论了机器人数据的来源、成本和用法。")
    w.heading("数据为什么这么贵")
    w.labelled("主持人：", "大家都说机器人缺数据。林老师，先从研究的角度讲讲，到底缺在哪里？")
    w.labelled("林可：", "缺的是“动作”的数据。文字和图片，互联网上有几千亿的量；但一个机器人怎么抓起一只杯子、用多大的力、手指怎么配合，这样的数据几乎为零，只能一条一条采。")
    w.plain("现在主流的办法是遥操作：人戴着设备远程控制机器人做一遍，机器人把过程记下来。一个熟练的操作员，一小时能采几十条有效数据，成本非常高。")
    w.labelled("彭浩：", "我们算过，一条高质量的遥操作数据，成本在几块钱到几十块钱之间，看任务的难度。要训练一个能在家里干十种活的模型，至少需要几十万条，这还只是起步。")
    w.labelled("宋佳琪：", "我们物流企业的情况不太一样。我们的仓库里每天有几百台机械臂在干活，本身就在产生大量数据，只是以前没人想过要把它们存下来。")
    w.picture("圆桌现场，左起：张薇、林可、彭浩、宋佳琪")
    w.heading("仿真能不能替代真数据")
    w.labelled("主持人：", "有人说仿真可以解决数据问题，在电脑里造一个虚拟世界，让机器人在里面练。这条路走得通吗？")
    w.labelled("林可：", "走得通一半。刚体的东西，比如搬箱子、开抽屉，仿真已经很接近真实了。但软的东西，衣服、食物、线缆，仿真和现实差得很远，在仿真里练好的动作，到了现实里经常失败。")
    w.labelled("彭浩：", "我想问林老师一个问题：真实数据和仿真数据按什么比例混着用，学术界有共识吗？")
    w.labelled("林可：", "没有共识，而且和任务关系很大。我们实验室的经验是，仿真数据可以占到八成，但最后那两成真实数据决定了上限。")
    w.labelled("宋佳琪：", "从企业的角度，我们更关心的是仿真能不能帮我们少停产。新的货品上线之前，先在仿真里把抓取策略调好，能省下很多现场调试的时间。")
    w.heading("数据该不该共享")
    w.labelled("主持人：", "最后一个问题：各家的数据要不要共享？")
    w.labelled("彭浩：", "基础的数据应该共享。如果每家公司都从零开始采“怎么抓杯子”，整个行业都在浪费钱。真正的竞争应该在更难的任务上。")
    w.plain("我们今年会开放一部分自己的数据集，也希望其他公司跟进。")
    w.labelled("宋佳琪：", "我们愿意共享，但要解决隐私和商业机密的问题。仓库里的数据会暴露客户的货品和流量，这部分必须处理干净。")
    w.labelled("林可：", "高校可以做中立的一方，帮大家制定数据的格式和标准。标准统一了，共享才有意义。")
    w.labelled("主持人：", "谢谢三位。")
    w.note("（本文根据现场速记整理，未经嘉宾审阅。）")
    w.note("版权所有，转载请联系《具身周刊》编辑部。")
    w.save("embodied-ai-data-roundtable.docx")


def riscv_founder_zhuanfang() -> None:
    w = Writer("何川")
    w.title("专访顾南：开源指令集会是AI芯片的下一个机会吗", style="Heading 1")
    w.plain("采访：何川　整理：王蕾")
    w.plain("顾南在一家国际芯片公司做了十二年处理器设计，2021年回国创办了一家基于开源指令集的芯片公司，主打AI推理。公司去年出货了第一批芯片，客户主要是做智能摄像头和工业网关的厂商。")
    w.bold("很多人第一次听说开源指令集，会觉得它是“低端芯片”的代名词。你怎么看？")
    w.plain("这是一个过时的印象。开源指令集最早确实用在很简单的控制器上，因为它免费、可以随便改。但指令集本身没有高低之分，它只是软件和硬件之间的一份约定。芯片做得好不好，取决于你在这份约定下面怎么设计。")
    w.plain("这几年开源指令集加入了向量扩展，做矩阵运算和AI推理是很合适的。我们的芯片就是在标准的核心旁边，加了自己设计的矩阵单元。")
    w.bold("为什么选开源指令集，而不是买成熟的商业授权？")
    w.plain("三个原因。第一是自主，我们可以按自己的需要加指令，不用等别人批准。第二是成本，商业授权的费用和每颗芯片的提成，对一家小公司来说不是小数目。第三是长远的供应安全，这一点现在大家都懂。")
    w.bold("最大的难点在哪里？")
    w.plain("还是软件。开源指令集的硬件生态发展得很快，但编译器、操作系统、AI框架的支持还在追赶。客户拿到芯片，第一个问题永远是：我的模型能不能直接跑？")
    w.plain("我们公司有一半的工程师在做软件，而且很多工作是贡献给开源社区的。这件事一家公司做不完，需要整个社区一起来。")
    w.picture("顾南展示公司的第一代AI推理芯片")
    w.bold("你们和大厂的AI芯片怎么竞争？")
    w.plain("不正面竞争。大厂做的是数据中心里的大芯片，我们做的是设备端的小芯片，功耗几瓦，价格几十块钱。这个市场非常碎，几千个客户，每个客户的需求都不一样，大厂不一定愿意花精力去服务。")
    w.bold("接下来三年，你最担心什么？")
    w.plain("担心生态分裂。开源的好处是谁都能改，坏处也是谁都能改。如果每家公司都加一套自己的扩展，互相不兼容，软件就没法复用，开源的优势也就没了。所以我们加的指令都尽量推动成为标准的一部分。")
    w.note("本文未经受访者审阅。")
    w.save("riscv-founder-zhuanfang.docx")


def taiwanese_speech_interview() -> None:
    w = Writer("吳佳蓉")
    w.title("讓AI聽懂台語：台聲科技王俊傑談方言語音辨識")
    w.plain("採訪、撰文｜吳佳蓉")
    w.plain("台聲科技成立三年，專做台語與客語的語音辨識，客戶包括醫院、公所和客服中心。創辦人王俊傑說，方言語音辨識最難的不是技術，而是資料。")
    w.heading("從阿嬤的電話開始")
    w.labelled("記者吳佳蓉✍️：", "為什麼會想做台語的語音辨識？")
    w.labelled("王俊傑🎧：", "起因是我阿嬤。她只會講台語，每次打電話到醫院掛號，語音系統都聽不懂，最後只能等真人接聽，常常一等就是十幾分鐘。我當時在做中文的語音辨識，就想，這件事應該有人來做。")
    w.labelled("記者✍️:", "台語的語音辨識，跟華語比起來難在哪裡？")
    w.labelled("王俊傑🎧:", "第一是資料少。華語有幾萬小時的公開語音資料，台語能用的不到百分之一。第二是書寫不統一，同一句話，有人寫漢字，有人寫羅馬字，還有人華台夾雜，模型要學的「標準答案」本身就很亂。")
    w.plain("第三是口音。北部、南部、海口腔，差別比很多人想像的大。")
    w.picture("王俊傑（右）與團隊在社區活動中心錄製長輩的語音資料")
    w.heading("資料怎麼來")
    w.labelled("記者✍️：", "資料不夠，你們怎麼解決？")
    w.labelled("王俊傑🎧：", "我們跑了很多社區活動中心和廟口，請長輩來講故事、唸句子，一次給一點車馬費。三年下來，錄了大概三千個小時。")
    w.plain("另外，我們跟幾家電台合作，把過去的台語節目整理成訓練資料。這些節目有主持人的逐字稿，品質很好。")
    w.labelled("記者✍️：", "現在的辨識準確率大概多少？")
    w.labelled("王俊傑🎧：", "一般對話的字錯率大約在一成左右，醫院掛號這類固定情境會更好。跟華語比還有距離，但已經到了可以實際使用的程度。")
    w.labelled("記者✍️：", "接下來的目標是什麼？")
    w.labelled("王俊傑🎧：", "客語。客語的資料比台語更少，會講的年輕人也更少。我們希望在還來得及的時候，把長輩的聲音留下來。")
    w.note("【本文經授權轉載，轉載請洽原作者】")
    w.save("taiwanese-speech-recognition-interview.docx")


if __name__ == "__main__":
    humanoid_data_roundtable()
    riscv_founder_zhuanfang()
    taiwanese_speech_interview()
