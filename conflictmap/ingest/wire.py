"""What the lines of a wire news page are: datelines, sign-offs, boilerplate.

Each function looks at one line. :mod:`conflictmap.ingest.stories` uses them
to cut a page into stories. The rules are written for wire copy in general
(AFP, Reuters, AP, UPI, IANS, ... as reprinted by news sites), not for one
site: a dateline is ``Place[, Country][, date] (AGENCY) [date] [- text]``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from conflictmap.ingest.dates import DateMatch, find_date, is_date_only

#: Agencies recognised in datelines, as written between parentheses.
AGENCIES = (
    "AFP", "Reuters", "REUTERS", "AP", "UPI", "IANS", "ANI", "PTI", "DPA", "dpa",
    "Xinhua", "XINHUA", "EFE", "ANSA", "Bernama", "Yonhap", "Kyodo", "TASS",
    "ITAR-TASS", "RIA Novosti", "Interfax", "Sputnik", "Anadolu", "AA", "SANA",
    "IRNA", "ISNA", "Fars", "Tasnim", "Mehr", "WAM", "KUNA", "QNA", "SPA", "MENA",
    "NNA", "BSS", "UNB", "APP", "AKI", "Belga", "ANP", "CNA", "Antara", "PNA",
    "VNA", "KCNA", "IPS", "AFP/Getty", "AP Photo",
)
#: Acronyms seen in parentheses in story text that are never agencies.
NOT_AGENCIES = frozenset({
    "IS", "ISIS", "ISIL", "SDF", "YPG", "YPJ", "PKK", "PYD", "HTS", "FSA", "PMF", "PMU", "AQAP",
    "UN", "US", "USA", "UK", "EU", "NATO", "SOHR", "ICRC", "MSF", "WHO", "UNHCR", "OCHA", "UNICEF",
})
# Known agencies, and any other short capitalised acronym (sites invent house names).
_AGENCY = "|".join(re.escape(a) for a in sorted(AGENCIES, key=len, reverse=True)) + "|[A-Z]{2,6}"
_DATELINE = re.compile(r"^(?P<head>[^()]{2,90}?)\s*\((?P<agency>" + _AGENCY + r")\)(?P<tail>.*)$")
_DASH = re.compile(r"^\s*(?:--|-|–|—)\s*")
#: A dateline without an agency, as many papers write it: the town in capitals, then
#: the country or state, then a dash ("KYIV, Ukraine — Russian forces ...").
_CAPS_DATELINE = re.compile(
    r"^(?P<head>[A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3}(?:,\s*[A-Z][\w.'’\-]*(?: [A-Z][\w.'’\-]*){0,3})?)"
    r"(?:\s*(?:--|–|—)\s*|\s+-\s+)(?P<rest>\S.*)$"
)
#: Words of capitalised kickers that open a text like a dateline town and are
#: none ("BREAKING NEWS —", "LIVE UPDATES —", "ISRAEL-HAMAS WAR —").
_KICKER_WORDS = frozenset({
    "BREAKING", "NEWS", "UPDATE", "UPDATES", "UPDATED", "URGENT", "FLASH", "EXCLUSIVE", "ANALYSIS", "OPINION",
    "EDITORIAL", "COMMENT", "FACTBOX", "EXPLAINER", "WATCH", "VIDEO", "PHOTOS", "LIVE", "CORRECTION", "WAR",
    "REPORT", "INTERVIEW", "BRIEFING", "SPECIAL", "FEATURE", "LATEST", "ALERT", "WORLD", "TIMELINE", "FACT",
})
_TIME = re.compile(r"^\s*,?\s*(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|[A-Z]{2,4}))?", re.I)
# Lower-case words that still belong to place names ("Deir ez-Zor", "Kafr el Sheikh").
_PARTICLES = {
    "al", "el", "ez", "es", "ad", "ar", "as", "an", "at", "az", "ash", "adh",
    "de", "del", "der", "di", "da", "du", "des", "la", "le", "les", "los", "of",
    "on", "upon", "bin", "ibn", "abu", "am", "sur", "en", "y", "the", "and",
}


@dataclass(frozen=True)
class Dateline:
    """A parsed dateline: where and when the story was filed, and by whom.

    ``rest`` is story text that followed on the same line ("BEIRUT (AP) — Syrian
    troops ..."), empty when the dateline stands on its own line.
    """

    place: str
    agency: str
    date: DateMatch | None
    rest: str


def _caps_dateline(line: str) -> Dateline | None:
    """``KYIV, Ukraine — text``: a dateline with no agency (see ``parse_dateline``)."""
    match = _CAPS_DATELINE.match(line)
    if match is None:
        return None
    head = match.group("head").strip()
    town = head.split(",")[0].strip()
    kicker = any(word in _KICKER_WORDS for word in re.split(r"[\s\-]+", town))
    if len(town.replace(" ", "")) < 3 or kicker or town in NOT_AGENCIES or not _looks_like_place(head):
        return None
    return Dateline(head, "", None, match.group("rest").strip())


def _looks_like_place(head: str) -> bool:
    words = [w for w in re.split(r"[\s,]+", head) if w]
    if not 1 <= len(words) <= 7 or len(head) > 60:
        return False
    if head[0].islower() or any(ch.isdigit() for ch in head):
        return False
    for word in words:
        first = word.lstrip("'’\"")[:1]
        if first.isupper():
            continue
        # "al-Qaim", "ez-Zor": a lower-case particle joined by a hyphen.
        if word.split("-")[0].lower() in _PARTICLES:
            continue
        return False
    last = words[-1]
    # A final full stop ends a sentence, unless it ends an abbreviation ("D.C.", "St.").
    if last.endswith(".") and "." not in last[:-1] and len(last) > 4:
        return False
    return not last.endswith(("!", "?", ":"))


def parse_dateline(line: str, *, opening: bool = False) -> Dateline | None:
    """Parse ``line`` as a wire dateline, or return None.

    Parameters
    ----------
    line : str
        One line of a page, e.g. ``Deir Ezzor, Syria (AFP) Nov 4, 2017``,
        ``BEIRUT, Nov 4 (Reuters) - Syrian troops ...``, ``New Delhi, Nov 4 (IANS)``.
    opening : bool
        The line opens the text: a dateline without an agency counts too
        (``DAMASCUS, Syria — US warships ...``: a town in capitals, the country
        or state, a dash). Elsewhere in a page such a line is too weak a sign
        of a new story.

    Returns
    -------
    Dateline or None
        None unless the line starts with a place, an agency in parentheses
        and then a date, a dash or nothing (or the date came before the agency).
    """
    match = _DATELINE.match(line.strip())
    if match is None and opening:
        return _caps_dateline(line.strip())
    if match is None or match.group("agency") in NOT_AGENCIES:
        return None
    head = match.group("head").strip().rstrip(",").strip()
    head_date = find_date(head)
    if head_date is not None and not head[head_date.end :].strip(" ,."):
        head = head[: head_date.start].rstrip(" ,")
    else:
        head_date = None
    # UPI writes no place at all: "Nov. 3 (UPI) -- The Syrian army said ..."
    if not (head_date is not None and not head) and not (head and _looks_like_place(head)):
        return None
    tail = match.group("tail")
    tail_date = find_date(tail, at_start=True)
    if tail_date is not None:
        tail = tail[tail_date.end :]
        tail = _TIME.sub("", tail, count=1)
    dash = _DASH.match(tail)
    if dash is not None:
        tail = tail[dash.end() :]
    rest = tail.strip()
    # "Islamic State (IS) fighters ..." is a sentence, not a dateline: text may
    # follow the agency only after a dash or a date (IANS writes none).
    if rest and dash is None and head_date is None and tail_date is None:
        return None
    return Dateline(head, match.group("agency"), tail_date or head_date, rest)


# --- lines that end a story ------------------------------------------------------------------

# AFP sign-offs are the editors' initials: "burs-jmm-rh/hkb/srm", "sct/dv".
_SIGN_OFF = re.compile(r"^[a-z]{2,6}(?:[-/][a-z0-9]{2,6})+$")
_CREDITS = re.compile(
    r"^\(?(?:additional )?(?:reporting|writing|editing|compiled|translated|produced) by\b.*\)?$", re.I
)
_RULE = re.compile(r"^[-_=*~#]{3,}$")
_BOILERPLATE = re.compile(
    r"^(?:related (?:[A-Z]{2,6} )?(?:links|stories|articles|news|coverage|content|topics)\b"
    r"|more (?:news|stories) (?:from|on)\b"
    r"|share (?:this|on|via)\b|comment using\b|comments?\s*(?:\(\d+\))?$|leave a (?:comment|reply)"
    r"|thanks for (?:being here|reading)|we need your help|support (?:us|our)\b|donate\b|make a donation"
    r"|subscribe\b|sign up\b|newsletter\b|follow us\b|advertisement$|sponsored\b|click here\b"
    r"|tags?\s*:|topics?\s*:|filed under\b|copyright\b|©|\(c\)\s*(?:19|20)\d\d|all rights reserved"
    r"|the content herein\b|privacy (?:policy|statement)|terms of (?:use|service)|cookie (?:policy|settings)"
    r"|read more\W*$|recommended (?:for you|stories|articles|reading)|most (?:read|popular|viewed)\b"
    r"|you (?:may|might) also like|print (?:this|article)|e-?mail (?:this|article)|back to top\b"
    r"|report an error\b|see also\b|the post .{1,200} appeared first on\b"
    r"|please (?:consider|support|donate)\b|become a (?:member|supporter|subscriber|patron)\b"
    r"|if you (?:find|value|enjoy|like) (?:our|this)\b)",
    re.I,
)
_SHARE_WORDS = re.compile(
    r"^(?:(?:share|tweet|print|e-?mail|facebook|twitter|whatsapp|linkedin|reddit|digg|google|"
    r"del\.icio\.us|telegram|pinterest|copy link)\W*)+$",
    re.I,
)
_BYLINE = re.compile(r"^by\s+\S.{0,80}$", re.I)
_SUBHEAD = re.compile(r"^(?:-|–|—)\s+\S.{0,80}\s(?:-|–|—)$")


def is_sign_off(line: str) -> bool:
    """True for a line that closes a wire story (editors' initials, reporting credits, a rule)."""
    text = line.strip()
    return bool(_SIGN_OFF.match(text) or _CREDITS.match(text) or _RULE.match(text))


def is_boilerplate(line: str) -> bool:
    """True for site furniture: related links, share buttons, donation appeals, copyright."""
    text = line.strip()
    return bool(_BOILERPLATE.match(text) or _SHARE_WORDS.match(text))


def is_section_label(line: str) -> bool:
    """True for a short all-capitals label such as ``WAR REPORT`` or ``MORE NEWS``."""
    text = line.strip()
    if not 3 <= len(text) <= 40:
        return False
    letters = [ch for ch in text if ch.isalpha()]
    return (
        len(letters) >= 3
        and all(ch.isupper() for ch in letters)
        and len(text.split()) <= 5
        and parse_dateline(text) is None
    )


def is_byline(line: str) -> bool:
    """True for ``by Staff Writers``-style lines."""
    return bool(_BYLINE.match(line.strip())) and len(line.split()) <= 10 and not line.rstrip().endswith(".")


def is_subhead(line: str) -> bool:
    """True for an AFP-style crosshead: ``- Fleeing civilians -``."""
    return bool(_SUBHEAD.match(line.strip()))


def ends_story(line: str) -> bool:
    """True when a line marks the end of the story text above it."""
    return is_sign_off(line) or is_boilerplate(line) or is_section_label(line)


def is_title_like(line: str) -> bool:
    """True for a line that could be a headline (short, not furniture, not a date)."""
    text = line.strip()
    if not 3 <= len(text) <= 200 or len(text.split()) > 30:
        return False
    # Menus and breadcrumbs: "Home | World | Middle East", "News > World".
    if len(re.findall(r"\s[|»>›/]\s", text)) >= 2 or text.count("|") >= 2:
        return False
    return not (
        ends_story(text)
        or is_byline(text)
        or is_date_only(text)
        or parse_dateline(text) is not None
        or _looks_like_banner(text)
    )


def _looks_like_banner(text: str) -> bool:
    # Site banners are often framed in punctuation: ". Military Space News ."
    return bool(re.match(r"^[^\w\s]+\s.*\s[^\w\s]+$", text)) and not is_subhead(text)


#: A sentence's end, then possibly tags or whole elements ("<script>...</script>") that a story
#: copied from a web page carries: they are shown literally, and do not make the paragraph a headline.
ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*(?:\s*<(\w+)[^<>]*>[^<]*</\1\s*>|\s*<[^<>]*>)*\s*$")


def is_prose(paragraph: str) -> bool:
    """True for a paragraph that reads as sentences rather than a headline or a menu."""
    text = paragraph.strip()
    # Markup after the last full stop (text copied from a page) is text, not the end of a headline.
    return len(text.split()) >= 6 and bool(ENDS_SENTENCE.search(text))
