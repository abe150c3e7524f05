"""Canonical organisations, chips and person names, read from the tables in `etl/lexicon/`."""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import regex

from etl.text import PrefilteredPattern, by_first_character, leading_words

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
    scan: PrefilteredPattern  # `pattern`, run where an alias occurs verbatim


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
    # Aliases match case-sensitively, so their plain text finds every place a mention can start.
    aliases_only = re.compile(by_first_character(re.escape(a) for a in aliases))
    return OrgTable(
        pattern, canonical, frozenset(vendors), PrefilteredPattern(pattern, aliases_only)
    )


def find_orgs(text: str, start: int = 0, end: int | None = None) -> list[Mention]:
    """Every organisation mention in `text[start:end]`, with absolute offsets."""
    table = org_table()
    end = len(text) if end is None else end
    return [
        Mention(m.start(), m.end(), table.canonical[m.group()], m.group())
        for m in table.scan.finditer(text, text, start, end)
    ]


class MentionIndex:
    """Mentions found once in a whole text, looked up by window instead of scanning it again.

    A window's lookup equals scanning the window alone when no mention crosses its edges and the
    text after the window starts with neither a word character nor a hyphen (as after a sentence
    or a run of capitalised words): the pattern's right-hand checks then see the same thing.
    """

    def __init__(self, mentions: list[Mention]) -> None:
        self.mentions = mentions
        self.starts = [m.start for m in mentions]

    def within(self, start: int, end: int) -> list[Mention] | None:
        """The mentions inside `text[start:end]`, or None when one crosses an edge."""
        i = bisect_left(self.starts, start)
        if i and self.mentions[i - 1].end > start:
            return None
        j = bisect_left(self.starts, end, i)
        if j > i and self.mentions[j - 1].end > end:
            return None
        return self.mentions[i:j]


def canonical_org(name: str | None) -> str | None:
    """Canonical name for an alias, or None when the name is not a known organisation."""
    if not name:
        return None
    return org_table().canonical.get(name.strip())


def resolve_org_name(name: str) -> str | None:
    """A known organisation for a name: an alias, or the one known name that starts with it
    ("Scale" -> "Scale AI", "Thinking Machines" -> "Thinking Machines Lab")."""
    known = canonical_org(name)
    if known is not None:
        return known
    if not name or not name[:1].isupper() or len(name) < 3:
        return None
    starts = {c for a, c in org_table().canonical.items() if a.startswith(name + " ")}
    return starts.pop() if len(starts) == 1 else None


def is_vendor(org: str) -> bool:
    return org in org_table().vendors


def dominant_org(text: str, mentions: list[Mention] | None = None) -> str | None:
    """The organisation an article is mostly about: most mentioned, vendors and ties broken late.

    `mentions` are `find_orgs(text)` when the caller has them already.
    """
    counts = Counter(m.name for m in (find_orgs(text) if mentions is None else mentions))
    if not counts:
        return None
    table = org_table()
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] in table.vendors, -kv[1]))
    return ranked[0][0]


@dataclass(frozen=True)
class ChipTable:
    pattern: regex.Pattern
    names: list[str]  # group index -> canonical
    scan: PrefilteredPattern  # `pattern`, run where a chip name can start


@cache
def chip_table() -> ChipTable:
    """Load `chips.toml` into one alternation with a named group per chip."""
    data = tomllib.loads((LEXICON / "chips.toml").read_text("utf-8"))
    entries = list(data.items())  # file order: specific chips are listed before generic ones
    names, parts, starts = [], [], set()
    for i, (name, entry) in enumerate(entries):
        scope = "?-i:" if entry.get("case_sensitive") else "?i:"
        parts.append(rf"(?P<c{i}>({scope}{entry['pattern']}))")
        names.append(name)
        first = leading_words(entry["pattern"], "[A-Za-z0-9]*")
        if first is None:
            raise ValueError(f"chip {name!r}: its pattern must start with letters or digits")
        starts |= {w.lower() for w in first}
    pattern = regex.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w])")
    # A chip's first letters and digits, found in the case-folded text (see PrefilteredPattern).
    candidates = re.compile(r"(?<![a-z0-9_\-])(?:" + by_first_character(sorted(starts)) + ")")
    return ChipTable(pattern, names, PrefilteredPattern(pattern, candidates))


def find_chips(
    text: str, start: int = 0, end: int | None = None, folded: str | None = None
) -> list[Mention]:
    """Every accelerator mention in `text[start:end]`, canonicalised.

    `folded` is `fold_for_scan(text)` when the caller has it, for a faster scan.
    """
    table = chip_table()
    end = len(text) if end is None else end
    out = []
    for m in table.scan.finditer(text, folded, start, end):
        # Exactly one chip group takes part in a match, and it closes last.
        out.append(Mention(m.start(), m.end(), table.names[int(m.lastgroup[1:])], m.group()))
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
    Academy Academies Society Association Agency Bureau Alliance Consortium Université Universidad
    Universität Universiteit Università Polytechnique École Ecole Hospital Museum
    School Foundation Council Committee Senate House Congress Court Office Ministry Government
    Street Journal News Times Post Press Review Magazine Daily Weekly Verge Information Reuters
    Bloomberg Insider Report Wire Blog Podcast Show Conference Summit Forum Event Week Day
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Read More Share Comments Featured
    Image Credit Photo Source Sources Update Updates Breaking Exclusive Opinion Analysis Why
    AI AGI ASI LLM GPU GPUs CEO CTO CFO COO CSO US UK EU USA China Chinese American European
    Open Closed Source Safety Alignment Policy Product Products Applied Frontier Foundation
    Assistant Assistants Chatbot Glasses Smart Reality Labs Intelligence Compute Infrastructure
    Prize Award Awards Medal Nobel Turing Fellowship Grant
    Project Projects Operation Initiative Program Programme Mission Silicon Valley San Francisco Francisco Seattle London Paris Beijing Shanghai Washington York
    New Brain Superalignment Superintelligent Microsoft OpenAI Google Meta Anthropic Nvidia
    """.split()
)

# A name token: a capitalised word (Unicode aware; "LeCun", "O'Neil", "Jean-Luc") or an initial.
NAME_TOKEN = (
    r"(?:\p{Lu}[\p{Ll}\p{Lm}]+(?:\p{Lu}[\p{Ll}]+)?(?:[\-'’]\p{Lu}?[\p{Ll}]+)*(?:['’]s)?|\p{Lu}\.)"
)
NAME_PARTICLE = r"(?:de|van|der|von|da|di|del|le|la|bin|al|dos|du|ten|ter)"
# \b first: redundant (a capital after a non-word character is a word boundary), but `regex`
# rejects most positions with it faster than with the lookbehind alone.
RUN_RE = regex.compile(
    rf"\b(?<![\w\-]){NAME_TOKEN}(?:[ \u00a0]+(?:{NAME_PARTICLE}[ \u00a0]+){{0,2}}{NAME_TOKEN})*(?![\w\-])"
)
TOKEN_RE = regex.compile(rf"{NAME_PARTICLE}|{NAME_TOKEN}")
# A quick test (stdlib `re`) that a text may hold a run of two or more name tokens: a capital,
# more characters, a space, up to two particles and another capital. A capital is A-Z or any
# non-ASCII character outside Latin-1 symbols and general punctuation (quotes, dashes), which
# hold no capital letter. Texts without such a pair have no person names.
CAPITAL = r"[A-Z\u00c0-\u1fff\u2070-\U0010ffff]"
TWO_CAPITALS_RE = re.compile(
    rf"{CAPITAL}[^ \u00a0]*[ \u00a0]+(?:{NAME_PARTICLE}[ \u00a0]+){{0,2}}{CAPITAL}"
)


def find_people(
    text: str, start: int = 0, end: int | None = None, orgs: MentionIndex | None = None
) -> list[Mention]:
    """Person-name candidates: 2-4 capitalised words that are not organisations or titles.

    A run of capitalised words is cut at title words, organisation aliases and possessives
    ("Chief Scientist Ilya Sutskever" -> "Ilya Sutskever"; "Mark Zuckerberg's Meta" ->
    "Mark Zuckerberg"); the pieces of two to four words are the candidates. `orgs` indexes
    `find_orgs(text)` when the caller has it, to save scanning each run for organisations.
    """
    end = len(text) if end is None else end
    if not TWO_CAPITALS_RE.search(text, start, end):
        return []
    table = org_table()
    out: list[Mention] = []
    for run in RUN_RE.finditer(text, start, end):
        words = run.group()
        if " " not in words and "\u00a0" not in words:
            continue  # one word: never a name of two or more
        run_start, run_end = run.span()
        piece: list[tuple[int, int]] = []
        in_run = orgs.within(run_start, run_end) if orgs is not None else None
        if in_run is None:
            in_run = find_orgs(text, run_start, run_end)
        org_spans = [(m.start, m.end) for m in in_run]
        for tok in TOKEN_RE.finditer(text, run_start, run_end):
            word = tok.group()
            tok_start = tok.start()
            bare = _strip_possessive(word)
            if DESCRIPTOR_SUFFIX_RE.search(bare):
                # "Sam Altman-led", "Russian-born": a description, never part of a name.
                if piece:
                    _emit(text, piece, out)
                    piece = []
                continue
            in_org = bool(org_spans) and any(s <= tok_start < e for s, e in org_spans)
            if in_org or bare in NON_NAME_WORDS or bare in table.canonical:
                if piece:
                    _emit(text, piece, out)
                    piece = []
                continue
            piece.append((tok_start, tok_start + len(bare)))
            if bare != word:  # a possessive ends the name
                _emit(text, piece, out)
                piece = []
        if piece:
            _emit(text, piece, out)
    return out


DESCRIPTOR_SUFFIX_RE = regex.compile(
    r"-(?:led|born|based|backed|owned|founded|run|funded|made|built|focused|style|era|native|origin|american|year-old)$",
    regex.IGNORECASE,
)


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
    return word[:-2] if word.endswith(("'s", "’s")) else word
