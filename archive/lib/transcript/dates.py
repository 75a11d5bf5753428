"""Dates as transcripts write them, and lines that only say when and where.

A date is a whole calendar date: ``2025年7月3日``, ``2025-07-03``,
``2025.7.3``, ``2025/7/3``, ``Sept. 9, 2025``, ``July 3, 2025``,
``3 July 2025``. A **metadata line** is a short line made of a date and
nothing but what newsrooms and recorders print beside one: the time of day,
a recording's length, the weekday, a place, the outlet
(``港島科技報｜2025年3月18日``, ``2025年11月6日·杭州``,
``Fri, Mar 7, 2025 9:15AM • 6:40``, ``AUSTIN, Texas, Sept. 9, 2025``).

Hand-written rather than ``dateutil``'s fuzzy parser: the question here is
not only "which date" but "is there anything *else* in the line", and a
fuzzy parser is built to ignore exactly that.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from archive.lib.chinese import fold

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month_name>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATES = (
    re.compile(r"(?<!\d)(?P<year>\d{4})\s*(?:年|[-/.])\s*(?P<month>\d{1,2})\s*(?:月|[-/.])\s*(?P<day>\d{1,2})(?:\s*[日号])?(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b"),
)


def find(text: str) -> tuple[datetime.date, tuple[int, int]] | None:
    """The first whole date in ``text`` (in any width and case) and where it is."""
    folded = fold(text) if len(fold(text)) == len(text) else text.lower()
    for pattern in _DATES:
        for found in pattern.finditer(folded):
            groups = found.groupdict()
            number = int(groups["month"]) if groups.get("month") else _MONTHS[groups["month_name"][:3]]
            try:
                return datetime.date(int(found["year"]), number, int(found["day"])), found.span()
            except ValueError:
                continue
    return None


def parse(text: str) -> datetime.date | None:
    found = find(text)
    return found[0] if found else None


_STANDS_APART = re.compile(r"^(?:$|[\s|｜/／·•・—–\-,，、丨])")
_SEPARATORS = re.compile(r"\s*[|｜/／·•・—–\-,，、丨]+\s*|\s{2,}")
# WeChat's meta line (原创 曹乐 算力前哨 2025年07月21日 09:30 北京): its mark of an
# original article, then the author, the account, the date, parted by single spaces.
_WECHAT = re.compile(r"^\s*(?:原创|原創)\s+")
_WECHAT_SEPARATORS = re.compile(rf"{_SEPARATORS.pattern}|\s")
# What may stand beside the date: the time of day, a length, the weekday.
_FURNITURE = re.compile(
    r"(?:上午|下午|中午|晚上|凌晨|早上)?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?\s*(?:[ap]\.?m\.?)?|"
    r"\d+\s*(?:小时|分钟|分|秒)(?:\s*\d+\s*(?:分钟|分|秒))*|"
    r"\b\d+\s*(?:h|hrs?|hours?|min|mins|minutes?|s|secs?|seconds?)\b(?:\s*\d+\s*(?:min|mins|minutes?|s|secs?|seconds?)\b)*|"
    r"^\s*(?:recorded|published|posted|updated|aired)(?:\s+on)?\s*:?(?=\s)|"
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b\.?|(?:星期|周|週|礼拜)[一二三四五六日天]",
    re.IGNORECASE,
)
_PUBLICATION = re.compile(
    r"(?:报|報|刊|杂志|雜誌|新闻|新聞|网|網|财经|財經|观察|觀察|评论|評論|频道|頻道|电视台|電視台|电台|電台|传媒|傳媒|媒体|媒體|社|周报|週報)$|"
    r"\b(?:daily|times|post|news|weekly|journal|review|wire|magazine|gazette|herald|tribune|ledger|desk|report|observer|"
    r"chronicle|insider|digest|monthly|bulletin|press|media|radio|tv)$",
    re.IGNORECASE,
)
_PLACE = re.compile(r"(?:市|省|区|區|县|縣|镇|鎮|州|园区|園區|馆|館|中心|大厦|大廈|酒店|会场|會場|现场|現場)$")
_CJK_PART = re.compile(r"^[\u3400-\u9fff·]{1,12}$|^《[^》]{1,20}》$")
_LATIN_PART = re.compile(r"^[A-Z][A-Za-z.'\-]*(?: [A-Za-z][A-Za-z.'\-]*){0,3}$")


@dataclass(frozen=True)
class MetadataLine:
    date: datetime.date
    outlet: str | None  # the outlet the line names, if it names one; a place is not kept


def metadata_line(text: str, known_outlets: set[str] = frozenset()) -> MetadataLine | None:
    """The line read as a date with the time, length, weekday, place or outlet
    printed beside it; None if it says anything else."""
    if len(text) > 80 or re.search(r"[。！？!?；;]", text):
        return None
    found = find(text)
    if found is None:
        return None
    date, (start, end) = found
    if not (_STANDS_APART.match(text[end:end + 1]) and _STANDS_APART.match(text[start - 1:start] if start else "")):
        return None  # 2024年2月9日发布的…: the date is part of a phrase
    wechat = _WECHAT.match(text[:start])
    rest = _FURNITURE.sub(" ", text[wechat.end() if wechat else 0:start] + " | " + text[end:])
    outlet = None
    for part in (part.strip(" .") for part in (_WECHAT_SEPARATORS if wechat else _SEPARATORS).split(rest)):
        if not part:
            continue
        if not (_CJK_PART.match(part) or _LATIN_PART.match(part)):
            return None  # a sentence, a number, anything that is not a name
        if _is_outlet(part, known_outlets) and outlet is None:
            outlet = part.strip("《》")
    if wechat and (before := _WECHAT_SEPARATORS.split(text[wechat.end():start].strip())[-1]):
        outlet = before.strip("《》")  # the account stands right before the date, whatever its name looks like
    return MetadataLine(date, outlet)


def _is_outlet(part: str, known: set[str]) -> bool:
    """An outlet is marked 《…》, known, or named like a publication; a place is
    short or named like a place, and so is any other capitalised word."""
    if part.startswith("《") or fold(part) in known:
        return True
    if _PUBLICATION.search(part):
        return True
    return bool(re.fullmatch(r"[\u3400-\u9fff·]{4,12}", part)) and not _PLACE.search(part)
