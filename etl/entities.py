"""Canonical organisations, chips and person names, read from the tables in `etl/lexicon/`."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

LEXICON = Path(__file__).parent / "lexicon"


@dataclass(frozen=True)
class Mention:
    """A span of text naming a canonical entity."""

    start: int
    end: int
    name: str  # canonical
    surface: str


@dataclass(frozen=True)
class OrgTable:
    pattern: regex.Pattern
    canonical: dict[str, str]  # alias -> canonical
    vendors: frozenset[str]


@cache
def org_table() -> OrgTable:
    """Load `orgs.toml` into one alternation, longest alias first."""
    data = tomllib.loads((LEXICON / "orgs.toml").read_text("utf-8"))
    canonical: dict[str, str] = {}
    vendors = set()
    for name, entry in data.items():
        canonical[name] = name
        for alias in entry.get("aliases", []):
            canonical[alias] = name
        if entry.get("vendor"):
            vendors.add(name)
    aliases = sorted(canonical, key=len, reverse=True)
    body = "|".join(regex.escape(a) for a in aliases)
    # A word boundary that also refuses "Meta" inside "Metaverse" and "Mistral" inside "Mistrals".
    pattern = regex.compile(rf"(?<![\w.\-])(?:{body})(?![\w]|-(?:based|backed)\b)")
    return OrgTable(pattern, canonical, frozenset(vendors))


def find_orgs(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every organisation mention in `text[start:end]`, with absolute offsets."""
    table = org_table()
    end = len(text) if end is None else end
    return [
        Mention(m.start(), m.end(), table.canonical[m.group()], m.group())
        for m in table.pattern.finditer(text, start, end)
    ]


def canonical_org(name: str | None) -> str | None:
    """Canonical name for an alias, or None when the name is not a known organisation."""
    if not name:
        return None
    return org_table().canonical.get(name.strip())


def is_vendor(org: str) -> bool:
    return org in org_table().vendors


def dominant_org(text: str) -> str | None:
    """The organisation an article is mostly about: most mentioned, vendors and ties broken late."""
    counts = Counter(m.name for m in find_orgs(text))
    if not counts:
        return None
    table = org_table()
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] in table.vendors, -kv[1]))
    return ranked[0][0]


@dataclass(frozen=True)
class ChipTable:
    pattern: regex.Pattern
    names: list[str]  # group index -> canonical


@cache
def chip_table() -> ChipTable:
    """Load `chips.toml` into one alternation with a named group per chip."""
    data = tomllib.loads((LEXICON / "chips.toml").read_text("utf-8"))
    entries = list(data.items())  # file order: specific chips are listed before generic ones
    names, parts = [], []
    for i, (name, entry) in enumerate(entries):
        scope = "?-i:" if entry.get("case_sensitive") else "?i:"
        parts.append(rf"(?P<c{i}>({scope}{entry['pattern']}))")
        names.append(name)
    pattern = regex.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w])")
    return ChipTable(pattern, names)


def find_chips(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every accelerator mention in `text[start:end]`, canonicalised."""
    table = chip_table()
    end = len(text) if end is None else end
    out = []
    for m in table.pattern.finditer(text, start, end):
        group = next(k for k, v in m.groupdict().items() if v is not None)
        out.append(Mention(m.start(), m.end(), table.names[int(group[1:])], m.group()))
    return out


# Person names -------------------------------------------------------------------------------

# Capitalised words that start or fill a capitalised run but are never part of a person's name.
NON_NAME_WORDS = frozenset(
    """
    The A An This That These Those Its It His Her Their Our We He She They I You In On At By For
    From To Of And Or But As With Without After Before During While When Where Why How What Who
    According Also Earlier Later Meanwhile Now Today Yesterday Tomorrow Last Next Previously Both
    Mr Mrs Ms Dr Prof Professor Sir Dame Senator Sen Rep President Vice Chief Senior Principal
    Lead Head Director Manager Officer Executive Scientist Scientists Researcher Researchers
    Engineer Engineers Founder Co-founder Cofounder Chairman Chair Partner Fellow Distinguished
    Staff Member Members Team Teams Lab Labs Laboratory Research Group Unit Division Department
    Artificial General Intelligence Superintelligence Super Learning Machine Deep Reinforcement
    Generative Models Model Language Large Vision Computer Science Sciences Data Cloud Platform
    Platforms Network Networks Systems System Technology Technologies Tech Inc Corp Corporation
    Company Co Ltd LLC Holdings Capital Ventures Fund University Institute Center Centre College
    School Foundation Council Committee Senate House Congress Court Office Ministry Government
    Street Journal News Times Post Press Review Magazine Daily Weekly Verge Information Reuters
    Bloomberg Insider Report Wire Blog Podcast Show Conference Summit Forum Event Week Day
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Read More Share Comments Featured
    Image Credit Photo Source Sources Update Updates Breaking Exclusive Opinion Analysis Why
    AI AGI ASI LLM GPU GPUs CEO CTO CFO COO CSO US UK EU USA China Chinese American European
    Open Closed Source Safety Alignment Policy Product Products Applied Frontier Foundation
    Assistant Assistants Chatbot Glasses Smart Reality Labs Intelligence Compute Infrastructure
    Project Projects Operation Initiative Program Programme Mission Silicon Valley San Francisco Francisco Seattle London Paris Beijing Shanghai Washington York
    New Brain Superalignment Superintelligent Microsoft OpenAI Google Meta Anthropic Nvidia
    """.split()
)

# A name token: a capitalised word (Unicode aware; "LeCun", "O'Neil", "Jean-Luc") or an initial.
NAME_TOKEN = (
    r"(?:\p{Lu}[\p{Ll}\p{Lm}]+(?:\p{Lu}[\p{Ll}]+)?(?:[\-'’]\p{Lu}?[\p{Ll}]+)*(?:['’]s)?|\p{Lu}\.)"
)
NAME_PARTICLE = r"(?:de|van|der|von|da|di|del|le|la|bin|al|dos|du|ten|ter)"
RUN_RE = regex.compile(
    rf"(?<![\w\-]){NAME_TOKEN}(?:[ \u00a0]+(?:{NAME_PARTICLE}[ \u00a0]+){{0,2}}{NAME_TOKEN})*(?![\w\-])"
)
TOKEN_RE = regex.compile(rf"{NAME_PARTICLE}|{NAME_TOKEN}")


def find_people(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Person-name candidates: 2-4 capitalised words that are not organisations or titles.

    A run of capitalised words is cut at title words, organisation aliases and possessives
    ("Chief Scientist Ilya Sutskever" -> "Ilya Sutskever"; "Mark Zuckerberg's Meta" ->
    "Mark Zuckerberg"); the pieces of two to four words are the candidates.
    """
    end = len(text) if end is None else end
    table = org_table()
    out: list[Mention] = []
    for run in RUN_RE.finditer(text, start, end):
        piece: list[tuple[int, int]] = []
        org_spans = [(m.start, m.end) for m in find_orgs(text, run.start(), run.end())]
        for tok in TOKEN_RE.finditer(text, run.start(), run.end()):
            word = tok.group()
            bare = _strip_possessive(word)
            in_org = any(s <= tok.start() < e for s, e in org_spans)
            if in_org or bare in NON_NAME_WORDS or bare in table.canonical:
                _emit(text, piece, out)
                piece = []
                continue
            piece.append((tok.start(), tok.start() + len(bare)))
            if bare != word:  # a possessive ends the name
                _emit(text, piece, out)
                piece = []
        _emit(text, piece, out)
    return out


def _emit(text: str, piece: list[tuple[int, int]], out: list[Mention]) -> None:
    # Particles may sit inside a name but not at its ends.
    while piece and text[piece[-1][0]].islower():
        piece.pop()
    while piece and text[piece[0][0]].islower():
        piece.pop(0)
    capitals = [p for p in piece if not text[p[0]].islower()]
    if 2 <= len(capitals) <= 4:
        s, e = piece[0][0], piece[-1][1]
        out.append(Mention(s, e, text[s:e], text[s:e]))


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word
