"""Small helpers the rules share: clause windows, cue distance, and who a sentence is about."""

from __future__ import annotations

import re
from functools import cache

import regex

from etl.entities import Mention, is_vendor
from etl.extract.context import Context
from etl.text import PrefilteredPattern, Sentence, by_first_character

CLAUSE_BREAK_RE = regex.compile(r";|\s[—–]\s|\s-\s|:\s")
# Organisations named after these are compared with, not acting: "rivals like OpenAI". Only
# whether it matches the text before an organisation is used; (?r) searches right to left, as
# the match must end that text.
COMPARISON_RE = regex.compile(
    r"(?r)(?:like|such\s+as|than|unlike|including|rivals?|rivaling|rivalling|versus|vs\.?|against|competitors?|alongside)\s+(?:the\s+)?(?:\w+\s+)?$",
    regex.IGNORECASE,
)
# "the company", "the social-media giant", "the ChatGPT maker", "we": the article's main organisation.
COMPANY_REF_RE = regex.compile(
    r"\b(?:the\s+(?:[\w\-]+\s+){0,2}(?:company|firm|group|lab|startup|giant|maker|owner|parent|developer|titan|unit|division|team|organi[sz]ation|venture)|we|it)\b",
    regex.IGNORECASE,
)

# "... built by OpenAI": an organisation named after the fact, introduced as its owner.
OWNER_LEAD_RE = regex.compile(r"\b(?:by|for|at)\s+$")


def clause_window(text: str, s: Sentence, pos: int) -> tuple[int, int]:
    """The span of the clause of sentence `s` that holds `pos` (cut at ; — : and dashes)."""
    start, end = s.start, s.end
    for m in CLAUSE_BREAK_RE.finditer(text, s.start, s.end):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


@cache
def _cue_scan(cues: str) -> PrefilteredPattern:
    exact = regex.compile(rf"(?<!\w)(?:{cues})(?!\w)", regex.IGNORECASE | regex.VERBOSE)
    # Candidates in the case-folded text: the cue words are lower case (see PrefilteredPattern).
    assert cues == cues.lower()
    candidates = re.compile(rf"(?<![a-z0-9_])(?:{by_first_character([cues])})", re.VERBOSE)
    return PrefilteredPattern(exact, candidates)


def cue_near(
    text: str, window: tuple[int, int], pos: int, cues: str, folded: str | None = None
) -> int | None:
    """Distance in characters from `pos` to the nearest cue word inside `window`, or None.

    `folded` is `ctx.folded` when `text` is the article's text, for a faster scan.
    """
    best = None
    for m in _cue_scan(cues).finditer(text, folded, window[0], window[1]):
        d = pos - m.end() if m.end() <= pos else m.start() - pos
        d = max(d, 0)
        if best is None or d < best:
            best = d
    return best


def pick_org(ctx: Context, s: Sentence, pos: int, exclude_vendors: bool = False) -> str | None:
    """The organisation a sentence's fact at `pos` belongs to.

    The nearest organisation named before `pos` that is not being compared with; else one named
    after it with "by/for/at"; else the article's main organisation.
    """
    text = ctx.text
    orgs = ctx.orgs(s)

    def eligible(m) -> bool:
        if exclude_vendors and is_vendor(m.name):
            return False
        return not COMPARISON_RE.search(text[max(s.start, m.start - 40) : m.start])

    before = [m for m in orgs if m.end <= pos and eligible(m)]
    if before:
        return before[-1].name
    for m in orgs:
        if m.start >= pos and eligible(m):
            lead = text[max(s.start, m.start - 6) : m.start].lower()
            if OWNER_LEAD_RE.search(lead):
                return m.name
    if ctx.main_org:
        return ctx.main_org
    vendors = [m for m in orgs if m.end <= pos]
    return vendors[-1].name if vendors else None


# An organisation named after these works with the owner, supplies it or is compared with it.
PARTNER_LEAD_RE = regex.compile(
    r"(?r)(?:with|alongside|from|by|to|via|through|than|behind|partner(?:s|ed|ing)?|supplier|vendor|chipmaker|maker)\s+(?:the\s+)?(?:[\w.]+\s+(?:(?:and|&)\s+)?)?$",
    regex.IGNORECASE,
)
# "OpenAI and Oracle are set to install": the first of joint subjects owns the chips.
JOINT_AND_RE = regex.compile(r",?\s+and\s+|\s*&\s*")
JOINT_COMMA_RE = regex.compile(r"\s*,\s*")
POSSESSIVE_RE = regex.compile(r"['’]s?\s+(?:\w+\s+){0,2}$")


def first_of_joint(text: str, mentions: list, i: int) -> int:
    """Index of the first of joint subjects ending at mentions[i] ("OpenAI, Oracle and SoftBank")."""
    if i > 0 and JOINT_AND_RE.fullmatch(text, mentions[i - 1].end, mentions[i].start):
        i -= 1
        while i > 0 and JOINT_COMMA_RE.fullmatch(text, mentions[i - 1].end, mentions[i].start):
            i -= 1
    return i


# Page furniture that is not the article: newsletter and share prompts, credits.
BOILERPLATE_RE = regex.compile(
    r"^(?:Join\s+(?:our|the)|Subscribe|Sign\s+up|Follow\s+us|Read\s+more|Share\s+this|Click\s+here|Advertisement|Related(?:\s+articles)?:|Image\s+credit|Photo:|Also\s+read)",
    regex.IGNORECASE,
)


def is_boilerplate(sentence: str) -> bool:
    return BOILERPLATE_RE.match(sentence) is not None


def is_bystander(text: str, s: Sentence, m: Mention) -> bool:
    """Whether an organisation is named as a partner, supplier or yardstick ("working with
    CoreWeave", "rivals like OpenAI"), not as the one acting."""
    lead = text[max(s.start, m.start - 40) : m.start]
    return bool(PARTNER_LEAD_RE.search(lead) or COMPARISON_RE.search(lead))


def owner_org(ctx: Context, s: Sentence, pos: int) -> str | None:
    """Who has, buys, builds or deploys the chips counted at `pos`.

    A possessor right before the count ("Google's 90,000 GPUs"); else the nearest organisation
    before it that is not a chip vendor, a partner ("working with CoreWeave") or compared with,
    taking the first of joint subjects ("OpenAI and Oracle will install"); else one introduced
    after it as owner ("built by OpenAI"); else the article's main organisation.
    """
    text = ctx.text
    orgs = [m for m in ctx.orgs(s) if not is_vendor(m.name)]
    before = [m for m in orgs if m.end <= pos]
    if before:
        last = before[-1]
        if POSSESSIVE_RE.fullmatch(text, last.end, pos) and pos - last.end <= 24:
            return last.name
    free = [m for m in before if not is_bystander(text, s, m)]
    if free:
        return before[first_of_joint(text, before, before.index(free[-1]))].name
    return pick_org(ctx, s, pos, exclude_vendors=True)


def is_heading(sentence: str) -> bool:
    """A short title-case line with no final punctuation is a heading, not a statement."""
    if sentence.rstrip()[-1:] in ".!?\"”'’":
        return False
    words = sentence.split()
    if len(words) > 25:
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitals >= 0.6 * len(words)
