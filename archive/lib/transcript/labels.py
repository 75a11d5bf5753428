"""Labelling: which paragraphs start with a speaker's label, who the label
names, and who asks.

A label is a short name-like span at the start of a paragraph that marks who
speaks: a name (or a role word, or an outlet) and a colon in any of its forms
(``:`` ``：`` ``﹕`` ``∶``), bold or not, or alone on its line; the same name
in any pair of brackets, with or without a colon (``【主持人】``, ``[许蔓]``,
``(周岚)``, ``**[阿杰]**``); ``Q.``/``A.``. ``主持人张薇：`` and ``主持人 张薇：``
are 张薇, who asks; ``李航（星火机器人创始人）：`` and ``Derek Holt, Coastline
Post:`` are the person with that description; ``澜舟日报记者`` is the outlet
asking. A label counts as a speaker if it is marked (bold, 《》), mapped in
front matter or header lines, already in the archive, a role word, or recurs.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from archive.lib.chinese import fold as fold_text
from archive.lib.transcript.model import Block, BlockKind, Document, Role

COLON = "[:：﹕∶]"
COLON_CHARS = ":：﹕∶"
SENTENCE_END = "。！？!?…；;"
_LABEL_CHARS = r"[^\s:：﹕∶,，。！？!?、；;“”\"'‘’（）()《》【】\[\]［］〔〕<>*#|｜/／]"
# 主持人 张薇, 说话人 1: one space inside a label, before a name or a number
_CJK_LABEL = rf"(?:{_LABEL_CHARS}{{1,6}} {_LABEL_CHARS}{{1,5}}|{_LABEL_CHARS}{{1,16}}?)"
_AFFILIATION = r"(?:\s*[（(](?P<affiliation>[^（）()\n]{1,40})[）)])?"
_LATIN_NAME = r"[A-Z][A-Za-z.'\-]*(?: [A-Z][A-Za-z.'\-]*){0,3}"
# Inside brackets a label is name-like: a few Han characters (with a role
# word or a number after a space), or a capitalised Latin name.
_BRACKETED_NAME = rf"(?:[\u3400-\u9fff·]{{1,8}}(?: ?(?:[\u3400-\u9fff·]{{2,5}}|\d{{1,2}}))?|{_LATIN_NAME}(?: \d{{1,2}})?)"
_BRACKET_PAIRS = ("【】", "[]", "［］", "〔〕", "()", "（）")
_BRACKETED = "|".join(rf"{re.escape(open_)}\s*(?P<label{n}>{_BRACKETED_NAME})\s*{re.escape(close)}"
                      for n, (open_, close) in enumerate(_BRACKET_PAIRS))
_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# (how, what the first character can be (None: anything), pattern), in order of precedence
_PATTERNS = (
    # **赵一鸣**：  **赵一鸣：**  **李航（创始人）**：
    ("marked", "*", re.compile(rf"^\*\*\s*(?P<label>[^*:：﹕∶（）()]{{1,24}}?){_AFFILIATION}\s*(?:\*\*\s*{COLON}|{COLON}\s*\*\*)\s*(?P<body>.*)$")),
    # 《中國企業家》:
    ("marked", "《", re.compile(rf"^《(?P<label>[^》]{{1,24}})》{_AFFILIATION}\s*{COLON}\s*(?P<body>.*)$")),
    # 【主持人】…  [许蔓] …  (周岚) …  **[阿杰]** …  （韩蕾）：…
    ("bracketed", "*" + "".join(pair[0] for pair in _BRACKET_PAIRS), re.compile(rf"^(?:\*\*)?\s*(?:{_BRACKETED})\s*(?:\*\*)?\s*{COLON}?\s*(?P<body>.*)$")),
    # Q. …  A. …  Q - …
    ("period", "QA问答問", re.compile(r"^(?P<label>Q|A|问|答|問)(?:[.．]|\s+[-–—])\s*(?P<body>\S.*)$")),
    # **主持人** 今天…  **Ivo Marsh** So…: a name in bold with no colon (counted where it recurs, like a bracketed one)
    ("bracketed", "*", re.compile(rf"^\*\*\s*(?P<label>{_BRACKETED_NAME})\s*\*\*\s*(?P<body>[^\s:：﹕∶*].*)$")),
    # Derek Holt, Coastline Post:
    ("plain", _ASCII_LETTERS, re.compile(rf"^(?P<label>[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){{1,3}}),\s+(?P<affiliation>[A-Z0-9][^:：,.!?]{{0,40}}?)\s*{COLON}\s*(?P<body>.*)$")),
    # Sam Altman:   Q:   (not Transcribed by https://…: a web address's colon)
    ("plain", _ASCII_LETTERS, re.compile(rf"^(?P<label>[A-Za-z][A-Za-z.'\- ]{{0,30}}?){_AFFILIATION}\s*{COLON}(?!//)\s*(?P<body>.*)$")),
    # 周鸿祎:  南都记者：  李航（星火机器人创始人）：  主持人 宋菲：
    ("plain", None, re.compile(rf"^(?P<label>{_CJK_LABEL}){_AFFILIATION}\s*{COLON}\s*(?P<body>.*)$")),
    # 李航，星火机器人创始人：(a name, then what they do; counted only where the name recurs)
    ("comma", None, re.compile(rf"^(?P<label>[\u3400-\u9fff·]{{2,5}})[，,]\s*(?P<affiliation>[^，,。！？!?：:﹕∶]{{2,30}}?)\s*{COLON}\s*(?P<body>.*)$")),
)

ASK_WORDS = {"问", "q", "question", "提问", "记者", "主持人", "主持", "采访者", "访谈人", "interviewer", "host", "问题", "主持人问",
             "moderator", "reporter", "presenter", "anchor"}
ANSWER_WORDS = {"答", "a", "answer", "回答", "受访者", "受访人", "嘉宾", "来宾", "interviewee", "guest", "受访嘉宾", "对话嘉宾", "访谈对象"}
ROLE_WORDS = ASK_WORDS | ANSWER_WORDS
# Labels of a voice that tells rather than speaks: its words are narration.
NARRATOR_WORDS = {"narrator", "narration", "voice-over", "voiceover", "v.o.", "旁白", "画外音", "解说"}
_DECLARING_WORDS = ROLE_WORDS | NARRATOR_WORDS  # a label that is one of them is a label wherever it stands
# A name in capitals, as subtitles and scripts set them (KENJI ODA, ELENA MARSH);
# a single short word (AI, CEO) may be an acronym and stays as it is.
_CAPITALS = re.compile(r"^(?:[A-Z][A-Z.'\-]+(?: [A-Z][A-Z.'\-]+)+|[A-Z][A-Z.'\-]{3,})$")
# Role words that can stand before a name: 主持人张薇, 记者 李明, Host Jane Doe.
_ROLE_PREFIX = re.compile(r"^(?P<role>主持人|主持|记者|特约记者|采访者|访谈人|嘉宾|来宾|受访者|受访人|受访嘉宾|对话嘉宾|host|moderator|guest|reporter|interviewer|presenter|anchor)\s*(?P<name>.+)$", re.I)
# 澜舟日报记者: an outlet's reporter, no person named. (特约记者, 本报记者… are role words, not outlets.)
_OUTLET_REPORTER = re.compile(r"^(?P<outlet>(?!本报|本台|本刊|特约|实习|驻|首席|资深|随行|现场)\S{2,12}?)(?:记者|reporter)$")
NAME = re.compile(r"^(?:[\u3400-\u9fff·]{2,5}|[A-Za-z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,3})$")
# Labels that look like speakers but are list items, reported speech, stage
# directions or a section's tag.
NOT_A_LABEL = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+\S{0,3}|[一二三四五六七八九十\d]+|其[一二三四五六七八九十]|首先|其次|再次|最后|此外|另外|"
    r"比如|例如|譬如|注|备注|按|ps|p\.s\.|note|答案|结论|原因|问题是|核心|关键|重点|总结|包括|如下|以下.*|.+(?:说|道|表示|认为|指出|称|强调|透露|坦言|介绍|回应|提到|写道)|"
    r"(?:大|众|苦|微)?笑|掌声|鼓掌|音乐|背景音乐|片头|片尾|停顿|沉默|静音|听不清|杂音|咳嗽|叹气|"
    r"laughs?|laughter|applause|music|crosstalk|inaudible|silence|pause|noise|"
    r"edit|edited|update|updated|proof|follow-?up|tl;? ?dr|"  # a forum post's own words: EDIT: …, Proof: …
    r"好的|好吧|对的|是的|没错|当然|谢谢|嗯+|ok|okay|yes|no|right|sure|thanks|exactly|"  # a reply alone on its line is no name
    r".*(?:声明|提示|说明|须知|简介|摘要|导读|编者按|阅读|推荐|公告|通知|广告|福利|图源|来源|摄影|图片|配图|截图)|完|全文完|end)$"
)
# Words a title or a sentence puts before a name (专访量擎科技执行长林冠廷,
# 本刊记者马原): the person is after the last of them.
_JOB = re.compile(
    r"^.*(?:创始人|联合创始人|创办人|董事长|执行董事|董事|总裁|总经理|经理|首席\S{0,3}官|执行长|技术长|营运长|财务长|ceo|cto|coo|cfo|"
    r"合伙人|主席|院长|校长|教授|研究员|所长|主任|负责人|总监|掌门人|主编|总编|记者|主持人|工程师|科学家|架构师|设计师|分析师|投资人|"
    r"医生|律师|导演|作家|博士|专家)"
)
# What follows 访谈/对话 in a title without being anyone: 访谈纪要, 对话实录.
NOT_A_NAME = re.compile(r"^(?:纪要|实录|录|记录|全文|文字稿|速记|摘要|笔记|精选|合集)$")


def after_job(text: str) -> str:
    """The name after a job or an organisation: 量擎科技执行长林冠廷 → 林冠廷."""
    key = fold(text)
    job = _JOB.match(key)
    if job and len(key) == len(text) and job.end() < len(text):
        return text[job.end():].strip(" ·")
    return text.strip()


_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
# Labels recur hundreds of times in a long transcript, and several rules fold
# the same paragraph: fold each text once.
fold = functools.lru_cache(maxsize=65536)(fold_text)


_ASKING_END = re.compile(r"(?:[?？]|[吗呢么嗎][。.]?)[”\"』」)）*_]*$")


def asks(text: str) -> bool:
    """Whether a paragraph ends asking something (？, or 吗/呢 at the end)."""
    return bool(_ASKING_END.search(text.strip()))


def strip_emphasis(text: str) -> str:
    if "**" not in text and "__" not in text:
        return text.strip()
    return _EMPHASIS.sub(r"\2", text).strip()


class Label(NamedTuple):
    how: str  # marked (bold, 《》), bracketed, period (Q.), plain, comma
    label: str
    body: str
    affiliation: str


# Every label has a colon near its start, or starts with a bracket, bold, 《
# or a Q/A letter: most paragraphs are told in one search that they have none.
_COULD_BE_A_LABEL = re.compile(r"^.{0,80}?[:：﹕∶]|^[\[【［〔(（*《]|^(?:Q|A|问|答|問)\s*[.．\-–—]", re.DOTALL)


@functools.lru_cache(maxsize=65536)  # every rule asks about the same paragraphs
def match(text: str) -> Label | None:
    """The label ``text`` starts with, if it starts with something shaped like one."""
    if not _COULD_BE_A_LABEL.match(text):
        return None
    first = text[:1]
    for how, starts, pattern in _PATTERNS:
        if (starts is None or first in starts) and (found := pattern.match(text)):
            groups = found.groupdict()
            label = next((value for key, value in groups.items() if key.startswith("label") and value), "").strip()
            if label:
                return Label(how, label, found["body"].strip(), (groups.get("affiliation") or "").strip())
    return None


# 陳怡安, **主持人 陳怡安**, 來賓 王柏翰（晶曜視覺 技術長）, **ELLA PARK**: a name
# alone on its line, no colon, the words on the lines below.
_ALONE = re.compile(rf"^(?:\*\*)?\s*(?P<label>[\u3400-\u9fff]{{1,4}} [\u3400-\u9fff·]{{2,5}}|[\u3400-\u9fff·]{{2,5}}|{_LATIN_NAME})"
                    rf"{_AFFILIATION}\s*(?:\*\*)?$")


@functools.lru_cache(maxsize=65536)
def alone(text: str) -> Label | None:
    """The label ``text`` is, if it is only a name-like span with no colon
    (counted as a speaker's only where the name recurs or is declared, and
    the words follow it)."""
    if len(text) > 60 or not (found := _ALONE.match(text)):
        return None
    return Label("alone", found["label"].strip(), "", (found["affiliation"] or "").strip())


def speaker_like(text: str) -> bool:
    """Whether ``text`` starts with a label that could be a speaker's (not a list item, a stage direction or a tag)."""
    found = match(text)
    return found is not None and not NOT_A_LABEL.match(fold(found.label))


_NAMED = re.compile(rf"^(?P<label>.+?)(?:{_AFFILIATION}|,\s+(?P<comma>[A-Z0-9][^,:：]{{0,40}}))\s*$")


def named(speaker: str) -> tuple[str, str]:
    """A speaker the format names (a recorder's speaker line, a WebVTT voice)
    as (label, affiliation): 郑远航（云栖机器人CEO） → (郑远航, 云栖机器人CEO)."""
    found = _NAMED.match(speaker.strip())
    if found and (found["affiliation"] or found["comma"]):
        return found["label"].strip(), (found["affiliation"] or found["comma"]).strip()
    return speaker.strip(), ""


def split_role(label: str) -> tuple[Role | None, str]:
    """主持人张薇 → (asks, 张薇); 种植户 程大山 → (None, 程大山); 澜舟日报记者 → (asks,
    澜舟日报); a label that is not role word + name → (None, label)."""
    key = fold(label)
    found = _ROLE_PREFIX.match(key)
    if found and NAME.match(found["name"].strip()) and found["name"].strip() not in ROLE_WORDS:
        # the name as written (記者林怡君 → 林怡君): folding keeps one character for one
        name = label[found.start("name"):] if len(key) == len(label) else found["name"]
        return role_from_word(found["role"]), name.strip()
    if (outlet := _OUTLET_REPORTER.match(key)) and outlet["outlet"] not in ROLE_WORDS:
        return Role.ASKS, label[: len(outlet["outlet"])] if len(key) == len(label) else outlet["outlet"]
    words = label.split(" ")
    if len(words) == 2 and re.fullmatch(r"[\u3400-\u9fff]{1,6}", words[0]) and re.fullmatch(r"[\u3400-\u9fff·]{2,5}", words[1]):
        return None, words[1]  # what they are, then who: the name is the person
    return None, label


def role_from_word(word: str) -> Role | None:
    word = fold(word)
    if word in ASK_WORDS or word in ("asks", "ask", "questions"):
        return Role.ASKS
    if word in ANSWER_WORDS or word in ("answers",):
        return Role.ANSWERS
    return None


def is_byline(body: str) -> bool:
    """记者：张三 李四 is a byline; 记者：你怎么看？ is a question."""
    return len(body) <= 30 and not any(mark in body for mark in SENTENCE_END + "，,")


def person(doc: Document, label: str, affiliation: str = "") -> str:
    """The label as a speaker's label, learning what it says about them:
    主持人张薇 → 张薇 (asks); 李航（创始人） → 李航 (described); 澜舟日报记者 →
    澜舟日报, an outlet asking."""
    label, affiliation, bracket_role = _name_in_brackets(doc, label, affiliation)
    role, name = split_role(label)
    role = role or bracket_role
    key = fold(name)
    if affiliation and _initials_of(name, affiliation):  # Jonah Pike (JP): later JP: is the same person
        doc.people.setdefault(fold(affiliation), (name, role, ""))
        affiliation = ""
    if role is not None and label != name and label.endswith(name):  # 记者林晓, then 记者 alone: the same person
        doc.named_roles.setdefault(fold(label[: len(label) - len(name)].strip()), name)
    elif role is not None and label != name and label.startswith(name):  # 澜舟日报记者: the outlet asks
        doc.marked_outlets.add(key)
    if role is not None or affiliation:
        known_name, known_role, known_description = doc.people.get(key, (name, None, ""))
        doc.people[key] = (known_name, known_role or role, known_description or affiliation)
    if key not in doc.people and (honorific := _HONORIFIC.match(name)) and (full := _named_by_surname(doc, honorific["surname"])):
        return full  # 张总: the one 张 the title or the header names
    return as_written(name)


# A surname and a form of address (张总, 王董, 李老师): who it is, the title or the header says.
_HONORIFIC = re.compile(r"^(?P<surname>[\u4e00-\u9fff])(?:总|總|董|老师|老師|教授|博士|工)$")


def _named_by_surname(doc: Document, surname: str) -> str | None:
    """The one person of that surname the header lines or the title name
    (启芯微电子张振宇：做一颗慢芯片 → 张振宇), or None if none or several."""
    title = str(doc.meta.get("title") or "") or next((block.text for block in doc.blocks if block.text), "")
    names = {name for name, _, _ in doc.people.values() if name.startswith(surname) and 2 <= len(name) <= 3}
    names |= set(re.findall(rf"{surname}[\u4e00-\u9fff]{{1,2}}(?![\u4e00-\u9fff])", strip_emphasis(title)))
    return names.pop() if len(names) == 1 else None


def as_written(name: str) -> str:
    """A name set in capitals as a person writes it: KENJI ODA → Kenji Oda, MARY-ANN O'NEIL → Mary-Ann O'Neil."""
    if not _CAPITALS.match(name):
        return name
    return re.sub(r"[A-Z]+", lambda word: word[0][0] + word[0][1:].lower(), name)


def narrates(label: str) -> bool:
    """Whether a label is a narrator's (NARRATOR, 旁白), whose words are narration."""
    return fold(label).strip() in NARRATOR_WORDS


_ORGANISATION = re.compile(r"(?:报|刊|财经|科技|公司|集团|大学|学院|研究院|研究所|网|社|台|媒体|银行|资本|基金|实验室|中心|协会|新闻|观察)$")
_ROLE_MARK = re.compile(r"^(?P<role>.+?)\s*(?:[A-Za-z]|\d{1,2})?$")


def _name_in_brackets(doc: Document, label: str, affiliation: str) -> tuple[str, str, Role | None]:
    """主持人（钟离）, 嘉宾A（严肃，灵枢机器人）: a role word (with a letter or
    number) outside the brackets, the person and what they do inside. The
    bare role label (嘉宾A) is that person from then on."""
    role = _ROLE_MARK.match(fold(label))
    if not affiliation or role is None or role["role"] not in ROLE_WORDS:
        return label, affiliation, None
    name, *rest = re.split(r"\s*[，,、;；]\s*", affiliation.strip(), maxsplit=1)
    if not NAME.match(name) or _ORGANISATION.search(fold(name)):
        return label, affiliation, None  # 记者（星途财经）: a reporter of that outlet, not a person called so
    description, said = (rest[0] if rest else ""), role_from_word(role["role"])
    doc.people.setdefault(fold(label), (name, said, description))
    return name, description, said


def _initials_of(name: str, letters: str) -> bool:
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", name)
    return len(words) >= 2 and letters.replace(".", "").upper() == "".join(word[0] for word in words).upper()


def accept(doc: Document) -> None:
    """Decide which labels are speakers: mapped, known, marked, role words, or recurring."""
    seen: dict[str, int] = {}
    alone_seen: dict[str, int] = {}
    shaped: dict[str, tuple[Label, str]] = {}  # text → its label and the person's key
    for index, block in enumerate(doc.blocks):
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        if block.speaker:
            doc.labels.add(fold(split_role(named(block.speaker)[0])[1]))
            continue
        found = match(block.text) or _alone_before_words(doc.blocks, index)
        if not found:
            continue
        how, label, body, affiliation = found
        name = split_role(label)[1]
        key = fold(name)
        shaped[block.text] = (found, key)
        if NOT_A_LABEL.match(fold(label)) and key not in doc.people:
            continue
        counts = alone_seen if how == "alone" else seen
        counts[key] = counts.get(key, 0) + 1
        if affiliation and _initials_of(name, affiliation):
            doc.labels.add(fold(affiliation))  # Jo Park (JP): then JP: is her label too
        if how in ("period", "comma"):
            continue  # Q. and 李航，… count only where they recur: a sentence can start like them
        declared = key in doc.people or key in doc.known_speakers or fold(label) in _DECLARING_WORDS or split_role(label)[0] is not None
        if declared or how != "alone" and (how == "marked" or affiliation):  # (a title alone can end in brackets too)
            doc.labels.add(key)
    doc.labels |= {key for key, count in seen.items() if count >= 2}
    # Names alone on their line count by recurring only in a conversation of
    # two or more of them: one short line that recurs (小结, 背景) is a section's mark.
    recurring = {key for key, count in alone_seen.items() if count >= 2}
    if len(recurring) >= 2:
        doc.labels |= recurring
    # Several rules ask this of every paragraph, and a long file outgrows match's cache: answer once.
    doc.found_labels = {text: found for text, (found, key) in shaped.items() if key in doc.labels}


def _alone_before_words(blocks: list[Block], index: int) -> Label | None:
    """A name alone on its line, with the words on the lines after it (not
    another label, not a heading): a label, counted where the name recurs
    or is declared (a role word before it, header lines, front matter)."""
    block = blocks[index]
    if block.continues or index + 1 >= len(blocks) or not (found := alone(block.text)):
        return None
    after = blocks[index + 1]
    if after.kind is not BlockKind.PARAGRAPH or after.speaker or match(after.text) or alone(after.text):
        return None
    return found


def accepted(doc: Document, block: Block) -> Label | None:
    """The label ``block`` starts with, if it is an accepted speaker's."""
    if block.text in doc.found_labels:
        return doc.found_labels[block.text]
    found = match(block.text)  # a text the rules made after labels were accepted
    return found if found and fold(split_role(found.label)[1]) in doc.labels else None
