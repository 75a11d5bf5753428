"""Labelling: which paragraphs start with a speaker's label, who the label
names, and who asks.

A label is a name (or a role word, or an outlet) and a colon in any of its
forms (``:`` ``：`` ``﹕`` ``∶``) at the start of a paragraph, bold or not,
or alone on its line. ``主持人张薇：`` is 张薇, who asks; ``李航（星火机器人创始人）：``
is 李航, described as the founder. A label counts as a speaker if it is marked
(bold, 《》), mapped in front matter or header lines, already in the archive,
a role word, or recurs.
"""

from __future__ import annotations

import functools
import re

from archive.lib.chinese import fold as fold_text
from archive.lib.transcript.model import Block, BlockKind, Document, Role

COLON = "[:：﹕∶]"
COLON_CHARS = ":：﹕∶"
SENTENCE_END = "。！？!?…；;"
_LABEL_CHARS = r"[^\s:：﹕∶,，。！？!?、；;“”\"'‘’（）()《》【】\[\]<>*#|｜/／]"
_AFFILIATION = r"(?:\s*[（(](?P<affiliation>[^（）()\n]{1,40})[）)])?"
_PATTERNS = (
    # **赵一鸣**：  **赵一鸣：**  **李航（创始人）**：
    ("marked", re.compile(rf"^\*\*\s*(?P<label>[^*:：﹕∶（）()]{{1,24}}?){_AFFILIATION}\s*(?:\*\*\s*{COLON}|{COLON}\s*\*\*)\s*(?P<body>.*)$")),
    # 《中國企業家》:
    ("marked", re.compile(rf"^《(?P<label>[^》]{{1,24}})》{_AFFILIATION}\s*{COLON}\s*(?P<body>.*)$")),
    # Sam Altman:   Q:
    ("plain", re.compile(rf"^(?P<label>[A-Za-z][A-Za-z.'\- ]{{0,30}}?){_AFFILIATION}\s*{COLON}\s*(?P<body>.*)$")),
    # 周鸿祎:  南都记者：  李航（星火机器人创始人）：
    ("plain", re.compile(rf"^(?P<label>{_LABEL_CHARS}{{1,16}}?){_AFFILIATION}\s*{COLON}\s*(?P<body>.*)$")),
)

ASK_WORDS = {"问", "q", "question", "提问", "记者", "主持人", "主持", "采访者", "interviewer", "host", "问题", "主持人问", "moderator"}
ANSWER_WORDS = {"答", "a", "answer", "回答", "受访者", "嘉宾", "interviewee", "guest", "受访嘉宾", "对话嘉宾"}
ROLE_WORDS = ASK_WORDS | ANSWER_WORDS
# Role words that can stand before a name: 主持人张薇, 记者李明, Host Jane Doe.
_ROLE_PREFIX = re.compile(r"^(?P<role>主持人|主持|记者|特约记者|采访者|嘉宾|受访者|受访嘉宾|对话嘉宾|host|moderator|guest)\s*(?P<name>.+)$", re.I)
_NAME = re.compile(r"^(?:[\u3400-\u9fff·]{2,5}|[A-Za-z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,3})$")
# Labels that look like speakers but are list items or reported speech.
NOT_A_LABEL = re.compile(
    r"^(?:第[一二三四五六七八九十百\d]+\S{0,3}|[一二三四五六七八九十\d]+|其[一二三四五六七八九十]|首先|其次|再次|最后|此外|另外|"
    r"比如|例如|譬如|注|备注|按|ps|p\.s\.|note|答案|结论|原因|问题是|核心|关键|重点|总结|包括|如下|以下.*|.+(?:说|道|表示|认为|指出|称|强调|透露|坦言|介绍|回应|提到|写道))$"
)
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
# Labels recur hundreds of times in a long transcript, and several rules fold
# the same paragraph: fold each text once.
fold = functools.lru_cache(maxsize=65536)(fold_text)


def strip_emphasis(text: str) -> str:
    if "**" not in text and "__" not in text:
        return text.strip()
    return _EMPHASIS.sub(r"\2", text).strip()


@functools.lru_cache(maxsize=65536)  # every rule asks about the same paragraphs
def match(text: str) -> tuple[str, str, str, str] | None:
    """(how, label, body, affiliation) if ``text`` starts with something shaped like a label."""
    for how, pattern in _PATTERNS:
        if found := pattern.match(text):
            label = found["label"].strip()
            if label:
                return how, label, found["body"].strip(), (found["affiliation"] or "").strip()
    return None


def split_role(label: str) -> tuple[Role | None, str]:
    """主持人张薇 → (asks, 张薇); a label that is not role word + name → (None, label)."""
    key = fold(label)
    found = _ROLE_PREFIX.match(key)
    if found and _NAME.match(found["name"].strip()) and found["name"].strip() not in ROLE_WORDS:
        # the name as written (記者林怡君 → 林怡君): folding keeps one character for one
        name = label[found.start("name"):] if len(key) == len(label) else found["name"]
        return role_from_word(found["role"]), name.strip()
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
    主持人张薇 → 张薇 (asks); 李航（创始人） → 李航 (described)."""
    role, name = split_role(label)
    key = fold(name)
    if role is not None:  # 记者林晓, then 记者 alone: the same person
        doc.named_roles.setdefault(fold(label[: len(label) - len(name)].strip()), name)
    if role is not None or affiliation:
        known_name, known_role, known_description = doc.people.get(key, (name, None, ""))
        doc.people[key] = (known_name, known_role or role, known_description or affiliation)
    return name


def accept(doc: Document) -> None:
    """Decide which labels are speakers: mapped, known, marked, role words, or recurring."""
    seen: dict[str, int] = {}
    for block in doc.blocks:
        if block.kind is not BlockKind.PARAGRAPH:
            continue
        if block.speaker:
            doc.labels.add(fold(block.speaker))
            continue
        found = match(block.text)
        if not found:
            continue
        how, label, body, affiliation = found
        name = split_role(label)[1]
        key = fold(name)
        if NOT_A_LABEL.match(fold(label)) and key not in doc.people:
            continue
        seen[key] = seen.get(key, 0) + 1
        if how == "marked" or affiliation or key in doc.people or key in doc.known_speakers or fold(label) in ROLE_WORDS \
                or split_role(label)[0] is not None:
            doc.labels.add(key)
    doc.labels |= {key for key, count in seen.items() if count >= 2}


def accepted(doc: Document, block: Block) -> tuple[str, str, str, str] | None:
    """The label ``block`` starts with, if it is an accepted speaker's."""
    found = match(block.text)
    if found and fold(split_role(found[1])[1]) in doc.labels:
        return found
    return None
