"""Cleanup rules: one small function per kind of damage or newsroom
boilerplate, each taking the document and changing its blocks, applied in the
order of ``RULES`` (later rules rely on earlier ones: labels are accepted only
once emoji are out of them; credits and captions are told from speakers'
turns by the accepted labels).

Nothing here knows which format a block came from.
"""

from __future__ import annotations

import datetime
import html
import re

import regex

from archive.lib.transcript import dates, labels
from archive.lib.transcript.labels import fold  # cached: a paragraph is folded by several rules
from archive.lib.transcript.model import Block, BlockKind, Document, Role, gettext_noop

# --- scraper damage -----------------------------------------------------------

_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
# A tag, whole or with its "<" eaten by a mis-decoded multi-byte character
# before it ("世界。”</p>" scraped as "世界?!?/p>").
_TAGS = r"(?:p|br|div|span|strong|b|em|i|section|img|a|font)"
_HTML_RESIDUE = re.compile(rf"[?!\ufffd]*</?{_TAGS}\b[^<>\n]{{0,200}}?/?>|[?!\ufffd]+/{_TAGS}>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:[a-z]{2,8}|#\d{2,6}|#x[0-9a-f]{2,5});", re.IGNORECASE)
_EMOJI = regex.compile(r"[\p{Extended_Pictographic}\U0001F1E6-\U0001F1FF\U0001F3FB-\U0001F3FF\u200d\ufe0f\u20e3]+")


_ODD_SPACE = re.compile(r"[\t\u00a0\u3000]|  ")


def normalise_spaces(doc: Document) -> None:
    for block in doc.blocks:
        if _ODD_SPACE.search(block.text):
            block.text = re.sub(r"[ \t]{2,}", " ", block.text.replace("\u00a0", " ").replace("\u3000", " ")).strip()


# Zero-width spaces and joiners, word joiners, soft hyphens, stray byte-order
# marks: editors paste them in (WeChat's editor does, inside labels: 黄\u200b志远：)
# and they split names and labels invisibly. A joiner inside an emoji sequence
# (🧑‍🏫) is kept: it is part of the emoji.
_INVISIBLE = regex.compile(r"[\u200b\u200c\u2060\ufeff\u00ad\u180e]|(?<!\p{Extended_Pictographic}\ufe0f?)\u200d|\u200d(?!\p{Extended_Pictographic})")
_MAYBE_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")


def remove_invisible_characters(doc: Document) -> None:
    for block in doc.blocks:
        if _MAYBE_INVISIBLE.search(block.text):
            block.text = _INVISIBLE.sub("", block.text)
        if block.speaker and _MAYBE_INVISIBLE.search(block.speaker):
            block.speaker = _INVISIBLE.sub("", block.speaker)


def remove_pinyin_annotations(doc: Document) -> None:
    """谈(tán)话 → 谈话: readings a scraper inserted after characters; one warning for them all."""
    found = []
    for block in doc.blocks:
        block.text, count = _PINYIN.subn("", block.text)
        if count:
            found.append((block, count))
    if found:
        first, last = found[0][0].position, found[-1][0].position
        doc.warn(first, gettext_noop("removed %(count)s pinyin annotations a scraper had inserted after characters (%(first)s to %(last)s)"),
                 count=sum(count for _, count in found), first=str(first), last=str(last))


def remove_html_residue(doc: Document) -> None:
    for block in doc.blocks:
        if "<" not in block.text and "/" not in block.text and "&" not in block.text:
            continue  # nothing a tag or an entity could be
        for residue in _HTML_RESIDUE.findall(block.text):
            if residue.lstrip("?!\ufffd") != residue or not residue.startswith("<"):
                doc.warn(block.position, gettext_noop("removed HTML residue “%(residue)s”; the characters around it are damaged"), residue=residue)
            else:
                doc.warn(block.position, gettext_noop("removed HTML tag “%(residue)s”"), residue=residue)
        block.text = _HTML_RESIDUE.sub("", block.text)
        if _ENTITY.search(block.text):
            block.text = html.unescape(block.text)
        block.text = re.sub(r"[ \t\u00a0]{2,}", " ", block.text).strip()
    doc.blocks = [block for block in doc.blocks if block.text or block.kind in (BlockKind.IMAGE, BlockKind.RULE)]


def remove_emoji_from_labels(doc: Document) -> None:
    """王磊🧑‍🏫： → 王磊：, reported once per label."""
    reported = set()
    for block in doc.blocks:
        head, colon, rest = _split_at_colon(block.text)
        if not colon or not _EMOJI.search(head):
            continue
        cleaned = _EMOJI.sub("", head).rstrip()
        if not cleaned.strip("* ") or not labels.match(cleaned + colon + rest):
            continue
        block.text = cleaned + colon + rest
        if cleaned not in reported:
            reported.add(cleaned)
            doc.warn(block.position, gettext_noop("removed emoji from the label “%(label)s”"), label=labels.strip_emphasis(cleaned).strip("* "))


_A_COLON = re.compile(labels.COLON)


def _split_at_colon(text: str) -> tuple[str, str, str]:
    found = _A_COLON.search(text[:40])
    if not found:
        return text, "", ""
    return text[: found.start()], found.group(), text[found.end():]


def join_hard_wrapped_lines(doc: Document) -> None:
    """Blank-line paragraphs whose lines mostly break mid-sentence are wrapped
    text: their lines are joined (with a space between Latin words). A line
    that stands as a unit of its own — a label, a name alone, a metadata
    line, a credit, a bracketed note, an end mark — was broken on purpose:
    it is neither counted as wrapped nor joined to the lines around it, so
    an outlet-and-date line under the title or a byline above a closing note
    stays itself."""
    groups: dict[int, list[Block]] = {}
    for block in doc.blocks:
        if block.group is not None:
            groups.setdefault(block.group, []).append(block)
    if len(groups) < 2:
        return
    inner = [block.text for group in groups.values() if len(group) > 1 for block in group[:-1] if not _stands_alone(block.text)]
    if len(inner) < max(2, len(groups) // 4):
        return
    unfinished = sum(text[-1] not in labels.SENTENCE_END + "”\"』」)）:：" for text in inner if text)
    if unfinished / len(inner) <= 0.5:
        return
    joined: list[Block] = []
    alone = False  # the block before stands alone
    for block in doc.blocks:
        previous = joined[-1] if joined else None
        standing = _stands_alone(block.text)
        if (previous is not None and block.group is not None and previous.group == block.group and not alone
                and block.kind is previous.kind is BlockKind.PARAGRAPH and not standing and not labels.match(block.text)):
            joiner = " " if _latin_end(previous.text) and block.text[:1].isascii() else ""
            previous.text += joiner + block.text
        else:
            joined.append(block)
            alone = standing
    doc.blocks = joined


def _stands_alone(text: str) -> bool:
    """A line that is a unit by itself, whatever its group (see join_hard_wrapped_lines)."""
    if len(text) > 80:
        return False
    key = fold(text)
    return bool(labels.alone(text) or _MARKED.match(key) and key.rstrip()[-1:] in ")】]〕」』>》" or _END_MARK.match(key)
                or _looks_like_credit(text) or dates.metadata_line(text) or _DATELINE.match(key))


def _latin_end(text: str) -> bool:
    return bool(text) and text[-1].isascii() and text[-1].isalnum() or text.endswith((",", ".", ";"))


# --- header lines ---------------------------------------------------------------

_HEADER = re.compile(rf"^(?P<key>标题|题目|时间|日期|采访时间|访谈时间|地点|采访地点|来源|嘉宾|受访者|受访嘉宾|对话嘉宾|访谈嘉宾|访谈对象|采访对象|主持人|主持|采访者|访谈人|采访人|参会人|参会者|与会人|与会者|出席人|出席者)\s*{labels.COLON}\s*(?P<value>.+)$")
_DATE = re.compile(r"(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})")
_PERSON = re.compile(r"(?P<name>[^、，,；;／/（）()\s][^、，,；;／/（）()]*?)\s*(?:[（(](?P<description>[^）)]+)[）)])?\s*(?:[、，,；;／/]|\s{2,}|$)")


def header_lines(doc: Document) -> None:
    """标题：/时间：/来源：/嘉宾：/主持人： lines at the top, before the
    conversation, are the piece's title, date, outlet and participants, not
    turns. The header is the run of such lines (and credit lines) at the start;
    the first line may be the title."""
    kept = []
    in_header = True
    for index, block in enumerate(doc.blocks):
        text = labels.strip_emphasis(block.text)
        found = _HEADER.match(fold(text)) if in_header and block.kind is BlockKind.PARAGRAPH else None
        if found and (labels.is_byline(found["value"]) or found["key"] in ("标题", "题目") or _only_people(found["value"])):
            _header(doc, found["key"], text[found.start("value"):].strip(), block)
            if index == 1 and kept and doc.title_line and kept[0].kind is BlockKind.PARAGRAPH and not doc.meta.get("title"):
                # The line the header follows is the title, even in a label's shape (金立成：评测不是打分).
                doc.meta["title"] = labels.strip_emphasis(kept.pop().text).strip("# ")
            continue
        if index > 0 and not _CREDIT.match(fold(text)):
            in_header = False
        kept.append(block)
    doc.blocks = kept


def _only_people(value: str) -> bool:
    """赵大海（量子公司CTO）、李四（…）: names with descriptions, not a sentence."""
    return _PERSON.sub("", value).strip() == "" and not any(mark in value for mark in "。！？!?")


def _header(doc: Document, key: str, value: str, block: Block) -> None:
    if key in ("标题", "题目"):
        doc.meta.setdefault("title", value)
    elif key in ("时间", "日期", "采访时间", "访谈时间"):
        found = _DATE.search(fold(value))
        date = _valid_date(found) if found else None
        if date and not doc.meta.get("published"):
            doc.meta["published"] = date
        else:
            doc.credits.append(labels.strip_emphasis(block.text))
    elif key in ("地点", "采访地点"):
        pass  # where it took place: not part of what the archive stores
    elif key == "来源":
        doc.meta.setdefault("outlet", value)
    else:
        # Participants (参会人) are named and described; what each does, the conversation says.
        role = Role.ASKS if key in ("主持人", "主持", "采访者", "访谈人", "采访人") else None if key in _PARTICIPANTS else Role.ANSWERS
        people = [(found["name"].strip(), (found["description"] or "").strip())
                  for found in _PERSON.finditer(labels.strip_emphasis(value)) if found["name"].strip()]
        for name, description in people:
            doc.people.setdefault(fold(name), (name, role, description))
        if len(people) == 1:  # 主持人：张薇 — then a 主持人： label is 张薇
            doc.people.setdefault(fold(key), (people[0][0], role, people[0][1]))


_PARTICIPANTS = ("参会人", "参会者", "与会人", "与会者", "出席人", "出席者")


def _valid_date(found) -> datetime.date | None:
    try:
        return datetime.date(*map(int, found.groups()))
    except ValueError:
        return None


# --- boilerplate -----------------------------------------------------------------

_END_MARK = re.compile(r"^[\s\-—–_=~·•]*[（(【\[〔<]?\s*(?:完|全文完|终|end)\s*[）)】\]〕>]?[\s\-—–_=~·•]*$", re.IGNORECASE)
# At the very end, any bracketed or ruled "… 完" / "… 结束" is an end mark: （纪要完）, —— 访谈结束 ——.
_CLOSING_END_MARK = re.compile(r"^[\s\-—–_=~·•]*[(【\[〔<\-—–]\s*[\u4e00-\u9fff]{0,4}(?:完|结束|完结)\s*[)】\]〕>\-—–][\s\-—–_=~·•]*$")
# A note is a paragraph about the text itself — where it comes from, how it
# was made and checked, who holds its rights, whose views it gives — or about
# the platform that carries it, rather than about the topic. It is told by
# two things together: it speaks of the text (本文, 以上内容, 受访者, 转写结果,
# this episode, the article's own outlet…) and says something of it that
# notes say (转载, 授权, 审阅, 机器生成, 仅供参考, 立场, 订阅, edited,
# reviewed, views, subscribe…); and by its shape: bracketed or marked (※,
# ＊, 注：, 【说明】), set apart (italic), at the very end of the piece, or
# wholly made of such sentences. An answer that mentions copyright in
# passing, or a footnote that explains a word (注：文中的“卡”指GPU), is not.
_ABOUT_THE_TEXT = re.compile(  # (every branch opens with a literal, so that a paragraph is scanned fast)
    r"(?:本|此|以上|上述|以下)(?:文|篇|稿|期|号|刊|报|站|台|平台|公众号|节目|访谈|采访|对话|内容|纪要|视频|音频|直播|栏目|账号)|"
    r"全文|原文|文中|转写|转录|逐字稿|文字稿|文字版|文字实录|速记|访谈稿|采访稿|字幕|受访者|受访人|受访嘉宾|发言人本人|嘉宾本人|作者|编辑部|小编|"
    r"(?:this|our) (?:article|story|piece|post|transcript|interview|conversation|episode|newsletter|text|page|show|podcast|site|publication)\b|"
    r"transcri|the (?:guest|interviewee|author|speaker|host)s?['’]|views (?:expressed|are)\b|publication\b|the show\b|podcasts\b|"
    r"(?:new|future|more|the next) (?:posts|issues|episodes|articles|stories)\b|https?://"
)
# A note that opens with what was done to the text speaks of it: Transcribed by …, Edited for …
_MADE_BY = re.compile(r"^(?:transcribed|edited|condensed|translated|produced|generated|compiled) (?:by|with|using|for)\b")
_SAYS_OF_IT = re.compile(
    r"转载|授权|版权|侵权|原创|出处|刊登|首发|许可|保留.{0,4}权利|转写|转录|听写|辨识|识别|生成|审阅|审核|审定|校对|核对|核实|删节|节选|删减|删改|精简|压缩|编辑|整理|"
    r"观点|立场|看法|代表|无关|不构成|仅供参考|为准|免责|关注|订阅|星标|置顶|点赞|在看|转发|分享|留言|评论区|阅读原文|扫码|二维码|后台回复|"
    r"copyright|rights|reprint|republish|permission|transcri|recogni[sz]|generated|edited|condensed|reviewed|checked|clarity|accura|errors?\b|"
    r"differ|views|opinions|endorse|reflect|represent|advice|subscri|follow|rate us|review us|sign up|reader-supported|"
    r"supported by (?:its |our )?(?:readers|listeners|members)|forward|tell a friend|share"
)
# Phrases that are notices whole (both what a note speaks of and what it says).
_NOTE_PHRASES = re.compile(
    r"(?:平台|本站|本号|号)仅提供信息存储服务|侵权|免责声明|不构成(?:任何)?投资建议|版权(?:归|所有|声明)|"
    r"转载|(?:本文|本号|文章)(?:系|为|是)?.{0,12}原创|原创(?:文章|内容|稿件)|未经(?:授权|许可|本人|同意)|经.{0,8}授权|(?:扫码|点击|长按|识别).{0,12}(?:关注|二维码|阅读原文|在看|订阅)|"
    r"本文(?:仅)?代表(?:作者|受访者|嘉宾)?(?:个人)?观点|观点不代表|如(?:对|有)本(?:稿件|文)有异议|"
    r"(?:未经|没有经过|未经过).{0,6}(?:审阅|审核|确认|校对)|由.{0,12}整理|未(?:经)?(?:审阅|审核|确认)|"
    r"经(?:受访者|嘉宾|本人)(?:审阅|审核|确认)|阅读原文|点.{0,3}(?:赞|在看)|分享.{0,4}在看|在看.{0,4}分享|"
    r"往期(?:推荐|回顾|精选)|推荐阅读|欢迎(?:关注|转发|分享|留言)|商务合作|投稿(?:请|邮箱)|联系(?:我们|邮箱)|"
    r"保留(?:所有|一切)权利|©|\(c\) ?\d{4}|经(?:过)?删节|有删节|经(?:编辑)?整理(?:删节)?|(?:机器|语音|自动|ai)(?:转写|转录|识别)|"
    r"not (?:been )?reviewed|has been (?:edited|condensed|lightly edited)|edited for (?:length|clarity)|all rights reserved|"
    r"(?:machine|automatic|auto-generated|ai)[- ]?(?:transcri|generated transcri)|generated automatically|automatically generated|"
    r"subscribe|reprinted with permission|copyright"
)
_ALWAYS_A_NOTE = re.compile(
    r"仅提供信息存储服务|侵权|免责声明|转载请|未经(?:授权|许可)(?:不得|禁止|严禁)转载|未经(?:受访者|嘉宾|本人)?审阅|"
    r"点个.{0,2}(?:赞|在看)|分享给(?:更多)?(?:的)?(?:朋友|好友)|欢迎(?:转发|分享)|"
    r"transcri\w* (?:was|has been|is) (?:generated|produced|created) (?:automatically|by machine)|"
    r"(?:has|have) not been reviewed|may contain errors|all rights reserved"
)
# Marked as a note: wholly bracketed, starred (※, ＊, * not a list's bullet, †),
# or opened by a note's tag (注：, 【说明】, Note:).
_MARKED = re.compile(
    r"^[\s*]*[(【\[〔「『<《].*[)】\]〕」』>》][\s*]*$|^[\s*]*(?:[※†‡#]|\*(?![\s*]))|"
    r"^[\s*]*(?:注|注释|备注|附注|编注|说明|声明|提示|note|n\.b\.|ps)\s*[:.]|^[\s*]*[(【\[〔]\s*(?:注|备注|编注|说明|声明|提示|note)\s*[)】\]〕]"
)
# Notes are matched in folded (lower-case) text; one search tells most paragraphs they are none.
_MAY_BE_A_NOTE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in (_ALWAYS_A_NOTE, _NOTE_PHRASES, _ABOUT_THE_TEXT)))
_SENTENCES = re.compile(r"(?<=[。！？!?；;])|(?<=\.)\s+")


def boilerplate_to_notes(doc: Document) -> None:
    """Notices around a piece (reprint, copyright, unreviewed, machine
    transcription, disclaimers, platform prompts) become the article's notes,
    never part of a turn; end marks go. Read from the end, so that a
    paragraph after which the piece has only notes, credits and end marks is
    known to be closing it."""
    outlets = {outlet for outlet in doc.known_outlets if len(outlet) >= 3}
    dropped: set[int] = set()
    notes: list[Block] = []
    closing = True
    for block in reversed(doc.blocks):
        if block.kind is not BlockKind.PARAGRAPH:
            closing = closing and block.kind in (BlockKind.RULE, BlockKind.IMAGE)
            continue
        key = fold(labels.strip_emphasis(block.text))
        if _END_MARK.match(key) or closing and _CLOSING_END_MARK.match(key):
            dropped.add(id(block))
        elif _is_note(key, block, closing, outlets):
            dropped.add(id(block))
            notes.append(block)
        elif not (closing and _ends_the_piece(block.text)):
            closing = False
    for block in reversed(notes):
        doc.notes.append(labels.strip_emphasis(block.text).strip("*※# "))
        doc.warn(block.position, gettext_noop("moved boilerplate “%(text)s” to the article's notes"), text=_abbreviate(block.text))
    doc.blocks = [block for block in doc.blocks if id(block) not in dropped]


def _is_note(key: str, block: Block, closing: bool = False, outlets: set[str] = frozenset()) -> bool:
    if not _MAY_BE_A_NOTE.search(key) and not _MADE_BY.match(key) and not any(outlet in key for outlet in outlets):
        return False  # most paragraphs are told in one search
    if labels.strip_emphasis(key).endswith(("？", "?", ":")) or len(key) > 300:
        return False  # a question that mentions a licence asks; a line ending in a colon introduces what follows
    if _ALWAYS_A_NOTE.search(key):
        return True
    phrase = _NOTE_PHRASES.search(key) is not None
    if not (phrase or _speaks_of_the_text(key, outlets)):
        return False
    if _MARKED.match(key) or block.set_apart:
        return True
    if block.speaker or labels.speaker_like(key):
        return False  # what someone says, as the format or a label attributes it
    if _speaking_of_their_own(key):
        return False
    sentences = [sentence for sentence in _SENTENCES.split(key) if sentence.strip(" .")]
    if phrase and len(sentences) == 1 and len(key) <= 80:
        return True  # one short notice standing on its own
    if closing:
        return True
    # Every sentence of it speaks of the text or the platform (a subscribe box inside the body).
    return len(key) <= 240 and len(sentences) <= 3 and all(_speaks_of_the_text(sentence, outlets) for sentence in sentences)


def _speaking_of_their_own(key: str) -> bool:
    """Someone speaking of their own work (我们的字幕都由人工校对; Our newsletter
    has 40,000 subscribers): the first person, not in a platform's call to
    the reader (follow us, 关注我们) nor as the text itself (our conversation
    has been edited), and nothing said to the reader."""
    rest = _REACH_US.sub("", _ABOUT_THE_TEXT.sub("", _MADE_BY.sub("", key)))
    return bool(_FIRST_PERSON.search(rest)) and not _TO_THE_READER.search(key)


_FIRST_PERSON = re.compile(r"\b(?:i|we|our|ours|us|my|me)\b|我|咱")
_REACH_US = re.compile(r"(?:rate|follow|contact|join|email|support|tell|review) us\b|(?:关注|联系|加入|支持|告诉)我们")
_TO_THE_READER = re.compile(r"\byou\b|\byour\b|\bconsider\b|\bplease\b|请|欢迎|您")


def _speaks_of_the_text(text: str, outlets: set[str]) -> bool:
    """Whether ``text`` names the text itself (or its platform) and says
    something of it that notes say, in two different words."""
    about = [found.span() for found in (*_ABOUT_THE_TEXT.finditer(text), *_MADE_BY.finditer(text))]
    about += [(found, found + len(outlet)) for outlet in outlets if (found := text.find(outlet)) >= 0]
    says = [found.span() for found in _SAYS_OF_IT.finditer(text)] if about else []
    return any(end <= start_ or end_ <= start for start, end in about for start_, end_ in says)


def _ends_the_piece(text: str) -> bool:
    """Credits and a date line are what, besides notes, may follow the conversation."""
    return len(text) <= 80 and (_looks_like_credit(labels.strip_emphasis(text)) or dates.metadata_line(text) is not None
                                or bool(_DATELINE.match(fold(text))))


def _abbreviate(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[:length] + "…"


# --- newsroom structure -----------------------------------------------------------

_LEAD_WORDS = "导读|导语|编者按|编者的话|按语|编者注|導讀|導語|編者按|編者的話|按語|編者注"
_LEAD = re.compile(rf"^(?:[【\[](?:{_LEAD_WORDS})[】\]]\s*{labels.COLON}?|(?:{_LEAD_WORDS})\s*{labels.COLON})\s*\S")


def leads(doc: Document) -> None:
    """导读：/【编者按】 paragraphs are narration, never a speaker's turn; the
    words 编者按 stay in the text (they tell the reader whose note it is)."""
    for block in doc.blocks:
        if block.kind is BlockKind.PARAGRAPH and _LEAD.match(text := labels.strip_emphasis(block.text)):
            block.kind, block.text = BlockKind.LEAD, text


# 以下Q为本刊记者马原，A为恒动精密总经理柏松: who the letters (or role words) are, said in prose.
_NAMED_IN_PROSE = re.compile(
    r"(?P<label>(?<![A-Za-z])[QA](?![A-Za-z])|问|答|問|记者|記者|主持人)\s*[”\"」』]?\s*(?:为|是|代表|指|即|為|係)\s*"
    r"(?P<who>[^，,。；;、（）()“”\"]{2,24}?)\s*(?=[，,。；;、]|$)"
)


def labels_named_in_prose(doc: Document) -> None:
    """Where an introduction says who the letters are (以下Q为任远，A为许青禾),
    Q and A are those people."""
    for block in doc.blocks:
        if block.kind is BlockKind.PARAGRAPH and labels.speaker_like(block.text):
            break  # the conversation has started
        if block.kind not in (BlockKind.PARAGRAPH, BlockKind.LEAD):
            continue
        for found in _NAMED_IN_PROSE.finditer(block.text):
            who = labels.after_job(found["who"])
            if labels.NAME.match(who):
                label = found["label"]
                doc.people.setdefault(fold(label), (who, labels.role_from_word(label), ""))


_CREDIT_WORDS = (
    "采写|采访|撰文|文字|文|作者|特约记者|实习记者|记者|摄影|摄像|视频|头图(?:摄影|来源)?|题图(?:摄影)?|封面(?:摄影)?|"
    "编辑|责任编辑|责编|编审|审核|审校|校对|出品|出品人|策划|统筹|监制|制作|编译|翻译|整理|实习生|通讯员|设计|美编|运营|听打|速记|后期|剪辑|录音|混音|制片|监制人|记录|纪录|记录人|纪录人|文字整理|速记整理"
)
_CREDIT = re.compile(rf"^(?:{_CREDIT_WORDS})(?:\s*[/／、&]\s*(?:{_CREDIT_WORDS}))*\s*[:：﹕∶|｜丨/／]\s*\S")
_CREDIT_REPORTED = re.compile(r"^\S{0,12}记者\s*\S.{0,30}[/／].{0,20}报[导道]$")  # 记者 李明／台北报导
# Bylines in English: By Maya Okafor, Interview by Jo Park and Kim Tran.
_ENGLISH_BYLINE = re.compile(
    r"^(?:(?:Interview|Interviewed|Reporting|Reported|Written|Edited|Text|Words|Photos?|Photography|Transcribed|Translated|"
    r"Produced|Compiled)\s+)?[Bb]y\s+[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,3}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][A-Za-z.'\-]+(?:\s+[A-Z][A-Za-z.'\-]+){0,3})*$"
)
# 本报北京3月1日讯, 新华社北京3月1日电, 【北京讯】: where and when a report was filed
# (a heading such as 无线充电 ends in 电 too, so the dateline needs its outlet, date or brackets).
_DATELINE = re.compile(r"^(?:[【\[][^】\]]{1,16}(?:讯|电)[】\]]|\S{0,12}(?:\d{1,2}月\d{1,2}日|本报|本台|本刊|社|网)\S{0,8}?(?:讯|电))$")


def accept_labels(doc: Document) -> None:
    """Not a rewrite: decides which labels are speakers, for the rules after it."""
    labels.accept(doc)


def metadata_lines(doc: Document) -> None:
    """Lines in the header (under the title, among the credits) or the footer
    (among the closing credits) that only say when, and where or in which
    outlet — ``港島科技報｜2025年3月18日``, ``2025年11月6日·杭州``, ``AUSTIN,
    Texas, Sept. 9, 2025``, a recorder's ``2025年7月3日 下午 3:12|4分钟`` — give
    the published date and the outlet; the place, the time of day and the
    length are not kept. Datelines (``本报北京3月1日讯``) go the same way."""
    paragraphs = [block for block in doc.blocks if block.kind in (BlockKind.PARAGRAPH, BlockKind.LEAD)]
    used: set[int] = set()
    for blocks, header in ((paragraphs[:8], True), (paragraphs[::-1][:8], False)):
        for index, block in enumerate(blocks):
            text = labels.strip_emphasis(block.text)
            if _metadata(doc, text):
                used.add(id(block))
            elif block.speaker or (found := labels.accepted(doc, block)) and not labels.is_byline(found.body):
                break  # the conversation
            elif header and index == 0 and doc.title_line:
                continue  # the title
            elif not (_looks_like_credit(text) or len(text) <= 30 and not re.search(r"[。！？!?；;，,]", text)):
                break
    doc.blocks = [block for block in doc.blocks if id(block) not in used]


def _metadata(doc: Document, text: str) -> bool:
    """Whether ``text`` is a metadata line or a dateline; what it says goes into the document's metadata."""
    line = dates.metadata_line(text, doc.known_outlets)
    if line is None and not _DATELINE.match(fold(text)):
        return False
    date = line.date if line else dates.parse(text)
    if date and not doc.meta.get("published"):
        doc.meta["published"] = date
    if line and line.outlet and not doc.meta.get("outlet"):
        doc.meta["outlet"] = line.outlet
        doc.known_outlets.add(fold(line.outlet))
    return True


def bylines_and_credits(doc: Document) -> None:
    """Bylines and photo and production credits are the article's credits."""
    kept = []
    for block in doc.blocks:
        if block.kind is BlockKind.PARAGRAPH and not block.speaker and _is_credit(doc, block):
            doc.credits.append(labels.strip_emphasis(block.text))
        else:
            kept.append(block)
    doc.blocks = kept


def _looks_like_credit(text: str) -> bool:
    key = fold(text)
    return bool(_CREDIT.match(key) or _CREDIT_REPORTED.match(key) or _ENGLISH_BYLINE.match(text))


def _is_credit(doc: Document, block: Block) -> bool:
    found = labels.accepted(doc, block)
    if found and not labels.is_byline(found[2]):
        return False  # a speaker's turn
    return _looks_like_credit(labels.strip_emphasis(block.text))


_CAPTION_START = re.compile(r"^(?:来源|图源|图片来源|图片|图|配图|截图|视频截图|图注|photo|image|source)\s*[:：﹕∶/／|｜丨]", re.IGNORECASE)
_CAPTION_INSIDE = re.compile(r"(?:^|\s)(?:图源|图片来源|来源|摄影|图)\s*[:：﹕∶/／|｜丨]")


def captions(doc: Document) -> None:
    """Caption lines (图：…, …图源：…) are captions; an image's caption is the
    short line under it, else its alt text; an image with neither is left out."""
    kept: list[Block] = []
    captioned: set[int] = set()
    for block in doc.blocks:
        if block.kind is BlockKind.PARAGRAPH and not block.speaker and _is_caption(doc, block):
            block.kind = BlockKind.CAPTION
        image = kept[-1] if kept and kept[-1].kind is BlockKind.IMAGE and id(kept[-1]) not in captioned else None
        if image and block.kind in (BlockKind.PARAGRAPH, BlockKind.CAPTION) and _could_caption(doc, block):
            image.text = _POINTER.sub("", _ITALIC.sub(r"\1", block.text))  # the line under a picture is its caption
            captioned.add(id(image))
            continue
        kept.append(block)
    for block in kept:
        if block.kind is BlockKind.IMAGE and not block.text:
            doc.warn(block.position, gettext_noop("image %(source)s has no caption; left out"), source=block.source)
    doc.blocks = [block for block in kept if block.text or block.kind is BlockKind.RULE]
    for block in doc.blocks:
        if block.kind is BlockKind.IMAGE:
            block.kind = BlockKind.CAPTION


def _is_caption(doc: Document, block: Block) -> bool:
    found = labels.accepted(doc, block)
    if found and not labels.is_byline(found[2]):
        return False  # a speaker's turn
    key = fold(block.text)
    return bool(_CAPTION_START.match(key)) or (len(key) <= 40 and bool(_CAPTION_INSIDE.search(key)) and not labels.speaker_like(block.text))


_POINTER = re.compile(r"^[▲△▼↑↓☝👆]\s*")  # "▲ the photo above"
_ITALIC = re.compile(r"^[*_](?![*_])(.+?)(?<![*_])[*_]$")


def _could_caption(doc: Document, block: Block) -> bool:
    """The line under a picture is its caption when it is short, or points
    at it (▲), or is set apart (an italic sentence under a photo), and it
    neither asks nor is a speaker's."""
    text = labels.strip_emphasis(block.text)
    if block.continues or labels.asks(text) or labels.accepted(doc, block):
        return False
    plain = _POINTER.sub("", _ITALIC.sub(r"\1", text))
    set_apart = block.set_apart or plain != text and not _POINTER.match(text)
    return (len(plain) <= 40 and plain[-1:] not in "。！？!?…" or _POINTER.match(text) is not None and len(plain) <= 120
            or set_apart and len(plain) <= 200 or _SAYS_WHAT_IT_SHOWS.match(plain) is not None and len(plain) <= 200)


# A line that says it is about the picture: Photo: …, Pictured: …, Above: …, an AMA's Proof: …
_SAYS_WHAT_IT_SHOWS = re.compile(r"^(?:photo|pictured|picture|above|below|proof|image)\s*[:：]\s*\S", re.IGNORECASE)


RULES = (
    normalise_spaces,
    remove_invisible_characters,
    remove_pinyin_annotations,
    remove_html_residue,
    join_hard_wrapped_lines,
    remove_emoji_from_labels,
    header_lines,
    boilerplate_to_notes,
    leads,
    labels_named_in_prose,
    accept_labels,
    metadata_lines,
    bylines_and_credits,
    captions,
)


def clean(doc: Document) -> None:
    for rule in RULES:
        rule(doc)
