"""Compute facts: how many accelerators an organisation has or plans, by when.

A fact is a quantity followed, within a few modifier words, by a chip name or a GPU noun
("350,000 Nvidia H100 GPUs", "a 100,000-GPU cluster", "600k H100 equivalents",
"the equivalent of 1.3 million H100s").
"""

from __future__ import annotations

import re

import regex

from etl.extract.common import clause_window, cue_near, owner_org
from etl.extract.context import Context
from etl.model import Fact
from etl.text import PrefilteredPattern, Sentence

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "half a": 0.5, "a half": 0.5, "several hundred": None,
}  # fmt: skip
MULTIPLIERS = {
    "k": 1_000, "thousand": 1_000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000,
    "hundred thousand": 100_000, "hundred": 100,
}  # fmt: skip

QUANTITY_WORDS = r"half\s+a|a\s+half|an?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
QUANTITY_WORD_MULTIPLIERS = r"hundred\s+thousand|thousand|million|hundred"
QUANTITY_RE = regex.compile(
    rf"""(?<![\w$€£.,])
    (?:(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*(?P<mult>k|K|thousand|m|mn|million|M)?\+?
      |(?P<word>{QUANTITY_WORDS})
       \s+(?P<wmult>{QUANTITY_WORD_MULTIPLIERS})
    )(?![\w.,]\d)(?!\w)""",
    regex.IGNORECASE | regex.VERBOSE,
)
# Where a quantity can start, for a fast scan of the case-folded text (see PrefilteredPattern):
# a digit (any non-ASCII character but common punctuation may be one) or a number word and its
# multiplier, after a character that folds to none of the characters the quantity may not follow.
QUANTITY_SCAN = PrefilteredPattern(
    QUANTITY_RE,
    re.compile(
        r"(?<![a-z0-9_$€£.,])(?:[0-9]|[^\x00-\x7f’‘“”—–…]"
        rf"|(?:{QUANTITY_WORDS})\s+(?:{QUANTITY_WORD_MULTIPLIERS}))"
    ),
)

# Words that may stand between a quantity and its chip or GPU noun.
MODIFIER = r"""(?:the|more|additional|extra|new|newer|advanced|high-end|cutting-edge|top-end|top-of-the-line
  |flagship|leading-edge|state-of-the-art|powerful|AI|artificial\s+intelligence|training|inference
  |next-gen|next-generation|latest|current|graphics|data\s*center|datacenter|server|custom|in-house|homegrown
  |Nvidia|NVIDIA|AMD|Google|Intel|Huawei|Amazon|AWS|Microsoft|Meta|Instinct|Hopper-based
  |Blackwell-based|H100-class|coveted|scarce|sought-after|of\s+Nvidia|of\s+AMD|of\s+its|of\s+their|of\s+these|of\s+those
  |its|their|self-developed|self-designed|proprietary|domestic|domestically\s+made|home-grown
  |(?:first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th|next|latest)[\s\-]generation)(?:'s|’s)?"""
GAP_RE = regex.compile(
    rf"(?:\s*-\s*|\s+)(?:of\s+)?(?:{MODIFIER}(?:[\s\-]+|,\s+)){{0,4}}",
    regex.IGNORECASE | regex.VERBOSE,
)
GPU_NOUN = r"(?:GPUs?|graphics\s+processing\s+units?|graphics\s+cards?|(?:AI\s+)?chips?|accelerators?|processors?|superchips?|TPUs?|cards)"
GPU_NOUN_RE = regex.compile(rf"{GPU_NOUN}(?!\w)", regex.IGNORECASE)
# A model name the chip lexicon lacks, with a digit in it, right before the chip noun.
MODEL_NOUN_RE = regex.compile(
    rf"(?P<model>(?=[^\s]*\d|\S+\s+[^\s]*\d)\p{{Lu}}[\w\-]*(?:\s+\p{{Lu}}[\w\-]*)?)\s+(?-i:{GPU_NOUN})(?!\w)"
)
# After a chip name, "units" counts chips too ("350,000 H100 units").
AFTER_CHIP_RE = regex.compile(
    rf"(?:[\s\-]+(?:AI\s+)?(?:{GPU_NOUN}|units))?(?!\w)", regex.IGNORECASE
)
# "equiv" and "equiv." are how posts and tweets shorten it.
EQUIV_AFTER_RE = regex.compile(
    r"['’]?s?[\s\-]*(?:equivalents?|equivalent\s+units?|equiv\b\.?)", regex.IGNORECASE
)
EQUIV_BEFORE_RE = regex.compile(
    r"equivalents?\s+(?:of|to)\s+(?:about\s+|around\s+|roughly\s+|nearly\s+|almost\s+|some\s+|over\s+|more\s+than\s+)?$",
    regex.IGNORECASE,
)
# A count per server or per node describes a machine, not a buildout.
PER_UNIT_RE = regex.compile(
    r"\s*(?:per|each|apiece|a\s+piece|in\s+each|on\s+each|for\s+each)\b", regex.IGNORECASE
)
# "250 GB300 server racks" counts racks or servers, not chips; "two 24K GPU clusters" gives the
# size of each cluster.
SYSTEM_RE = regex.compile(
    r"[\s\-]+(?:server\s+)?(?:racks?|servers?|nodes?|systems?|pods?|boxes|cabinets|trays|superpods?|clusters)(?!\w)",
    regex.IGNORECASE,
)
# Right to left ((?r)): the match must end the text before the quantity; only whether there is
# one is used.
SYSTEM_BEFORE_RE = regex.compile(
    r"(?r)(?:pod|node|supernode|superpod|server|rack|board|instance|chassis|tray|box|machine)s?\s+(?:\w+\s+){0,1}(?:of|with|packs|has|holds|contains|houses|carries|links|connects)\s+(?:up\s+to\s+|about\s+|some\s+)?$",
    regex.IGNORECASE,
)
JOB_RE = regex.compile(
    r"\s+(?:training\s+)?(?:jobs?|runs?|workloads?|experiments?)\b", regex.IGNORECASE
)
MIN_QUANTITY = 100
# No organisation has stated a plan for more accelerators than this: larger counts in tech news
# are jokes, market totals or speculation ("a billion GPUs").
MAX_QUANTITY = 20_000_000
# "100,000 more GPUs", "an additional 50,000 chips", "another 20,000 GPUs": increments.
INCREMENT_GAP_RE = regex.compile(r"(?i)\b(?:more|additional|extra)\b")
INCREMENT_BEFORE_RE = regex.compile(
    r"(?r)\b(?:another|additional|extra|further)\s+(?:(?:up\s+to|some|about|around|roughly|nearly|over|more\s+than)\s+)?(?:an?\s+)?$",
    regex.IGNORECASE,
)
# A clause about making or shipping chips counts a supplier's output, not a buyer's fleet.
SUPPLY_RE = regex.compile(
    r"(?<!\w)(?:production|producing|produced?|manufactur\w*|shipments?|shipp(?:ed|ing)|sold|sells|supply\s+of|output)(?!\w)",
    regex.IGNORECASE,
)
SPECULATION_RE = regex.compile(
    r"(?<!\w)(?:would\s+(?:need|require)|could\s+(?:need|require)|imagine|hypothetical\w*|joked?|joking|if\s+\w+\s+(?:had|were)|speculat\w*|at\s+least\s+(?:\S+\s+)?(?:billion|trillion))(?!\w)",
    regex.IGNORECASE,
)
YEAR_RE = regex.compile(r"(?:19|20)\d\d")
UNITS_RE = regex.compile(r"units(?!\w)", regex.IGNORECASE)
# Between coordinated counts: ", ", " and ", " or ", then maybe a possessor ("and Meta's ").
COORDINATION_RE = regex.compile(
    r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|to)\s+)(?:(?:\p{Lu}[\w.\-]*\s+){0,2}\p{Lu}[\w.\-]*['’]s\s+)?"
)
# A sentence without a digit or these words has no quantity worth reading.
QUANTITY_CUE_RE = regex.compile(r"\d|million|thousand", regex.IGNORECASE)
DIGIT_RE = regex.compile(r"\d")

PLANNED_CUES = r"""plans?|planned|planning|will|would|'ll|aims?|aiming|expects?|expected|intends?|targets?|targeting
  |goal|seeks?|wants?|hopes?|ordered|orders?|to\s+(?:buy|acquire|deploy|build|add|install|purchase|reach|have|get|bring)
  |set\s+to|on\s+track|is\s+building|are\s+building|building|amassing|stockpiling|scale\s+up|scaling|roadmap
  |forthcoming|upcoming|future|purchase|buying|acquiring|deploying|could|may|might|projected|slated|due"""
OPERATIONAL_CUES = r"""has|have|had|already|currently|now|operates|operating|operational|runs|running|ran|deployed
  |installed|online|live|houses|housing|equipped|powered\s+by|trained\s+on|training\s+on|uses|using|used|completed
  |finished|boasts|owns|fleet|in\s+service|in\s+operation"""


def parse_quantity(m: regex.Match) -> int | None:
    """Integer value of a QUANTITY_RE match ("350k" -> 350000, "half a million" -> 500000)."""
    if m.group("num"):
        value = float(m.group("num").replace(",", ""))
        mult = (m.group("mult") or "").lower()
        value *= MULTIPLIERS.get(mult, 1)
    else:
        base = NUMBER_WORDS.get(" ".join(m.group("word").lower().split()))
        if base is None:
            return None
        value = base * MULTIPLIERS[" ".join(m.group("wmult").lower().split())]
    return int(round(value))


def extract(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    for s in ctx.sentences:
        if not _has_quantity_cue(ctx.text, s):
            continue
        for q in QUANTITY_SCAN.finditer(ctx.text, ctx.folded, s.start, s.end):
            fact = _fact_at(ctx, s, q)
            if fact is not None:
                facts.append(fact)
    return facts


def _has_quantity_cue(text: str, s: Sentence) -> bool:
    """Whether QUANTITY_CUE_RE matches the sentence, testing the common cases cheaply first."""
    if DIGIT_RE.search(text, s.start, s.end):
        return True
    # Case-folded, the words appear as written ("İ" folds to "i" and a combining dot, dropped).
    folded = s.text.casefold().replace("\u0307", "")
    if "million" not in folded and "thousand" not in folded:
        return False
    return QUANTITY_CUE_RE.search(text, s.start, s.end) is not None


def _fact_at(ctx: Context, s: Sentence, q: regex.Match) -> Fact | None:
    text = ctx.text
    quantity = parse_quantity(q)
    if quantity is None or quantity < MIN_QUANTITY or quantity > MAX_QUANTITY:
        return None
    head = _counted_head(ctx, s, q.end())
    rule = "count"
    if head is None:
        rule = "coordinated"
        # "Google's 90,000 and Meta's 70,000 GPUs": the noun of a later coordinated count.
        head = None if YEAR_RE.fullmatch(q.group()) else _coordinated_head(ctx, s, q.end())
        if head is None:
            return None
    head_end, chip_name, increment = head
    if increment:
        return None  # "100,000 more GPUs": an increment, not a buildout
    if PER_UNIT_RE.match(text, head_end, s.end) or SYSTEM_RE.match(text, head_end, s.end):
        return None
    before = text[max(s.start, q.start() - 40) : q.start()]
    if SYSTEM_BEFORE_RE.search(before):
        return None  # "a pod of 8,960 chips", "a supernode packs 384 chips": one machine
    if JOB_RE.match(text, head_end, s.end):
        return None  # "a 50,000-GPU job": a workload, not a buildout
    if INCREMENT_BEFORE_RE.search(before):
        return None  # "adding another 50,000 GPUs"
    window = clause_window(text, s, q.start())
    if SUPPLY_RE.search(text, window[0], window[1]):
        return None  # a supplier's production or shipments, not anyone's buildout
    if SPECULATION_RE.search(text[max(window[0], q.start() - 50) : q.start()]):
        return None  # "would need at least ...", "imagine ...": not a plan anyone stated
    equiv = EQUIV_AFTER_RE.match(text, head_end, s.end)
    unit = "H100-equivalents" if equiv or EQUIV_BEFORE_RE.search(before) else "GPUs"
    if unit == "H100-equivalents" and chip_name is None:
        chip_name = "H100"

    date = _target_date(ctx, s, q.start())
    status = _status(ctx, window, q.start(), date)
    org = owner_org(ctx, s, q.start())
    return ctx.fact(
        s,
        "compute",
        date,
        rule=rule,
        org=org,
        chip=chip_name,
        quantity=quantity,
        unit=unit,
        status=status,
    )


def _counted_head(ctx: Context, s: Sentence, pos: int) -> tuple[int, str | None, bool] | None:
    """(end, chip, increment) of the chip or GPU noun that the quantity ending at `pos` counts."""
    text = ctx.text
    gap = GAP_RE.match(text, pos, s.end)
    at = gap.end() if gap else pos
    increment = bool(gap and INCREMENT_GAP_RE.search(gap.group()))
    chip = ctx.chip_at(s, at)
    if chip is not None:
        tail = AFTER_CHIP_RE.match(text, chip.end, s.end)
        return (tail.end() if tail else chip.end), chip.name, increment
    noun = GPU_NOUN_RE.match(text, at, s.end)
    model = None if noun else MODEL_NOUN_RE.match(text, at, s.end)
    if model is not None:
        # "30,000 of its third generation P800 Kunlun chips": a model the lexicon lacks.
        return model.end(), " ".join(model.group("model").split()), increment
    if noun is None:
        # "... GPU count to 1 million units": units are chips where the sentence is about them.
        noun = UNITS_RE.match(text, at, s.end)
        if noun is None or not GPU_NOUN_RE.search(text, s.start, s.end):
            return None
    chip_name = "TPU" if noun.group().lower().startswith("tpu") else None
    return noun.end(), chip_name, increment


def _coordinated_head(
    ctx: Context, s: Sentence, pos: int, depth: int = 0
) -> tuple[int, str | None, bool] | None:
    """The counted noun of the next count joined by "and", "or" or a comma, if there is one."""
    link = COORDINATION_RE.match(ctx.text, pos, s.end)
    if link is None or depth > 3:
        return None
    nxt = QUANTITY_RE.match(ctx.text, link.end(), s.end)
    if nxt is None:
        return None
    return _counted_head(ctx, s, nxt.end()) or _coordinated_head(ctx, s, nxt.end(), depth + 1)


# "said on Monday", "announced Tuesday", "told investors last week": when the news was
# reported, not when the GPUs arrive. Another date in the sentence is the buildout's.
REPORT_DATE_BEFORE_RE = regex.compile(
    r"(?i)\b(?:said|says|announced|announces|reported|reports|told\s+\w+(?:\s+\w+)?|confirmed|"
    r"revealed|disclosed|wrote|posted)\s+(?:on\s+|this\s+|last\s+|earlier\s+)?$"
)


def _target_date(ctx: Context, s, pos: int):
    """The date phrase that belongs to the count at `pos`, passing over a reporting date when
    the sentence has another.

    A count's own date follows it ("16,000 chips due by summer 2025"), so the nearest date after
    it in its clause, with no other count in between and not in an aside, wins; otherwise the
    nearest date at all.
    """
    text = ctx.text
    others = [
        r
        for r in ctx.dates(s)
        if not REPORT_DATE_BEFORE_RE.search(text[max(s.start, r.start - 40) : r.start])
    ] or ctx.dates(s)
    clause_end = clause_window(text, s, pos)[1]
    following = [
        r
        for r in others
        if pos < r.start < clause_end and not _in_aside(text[pos : r.start])  # "(... in 2022)"
    ]
    if following:
        counts = [c for c in _count_starts(ctx, s) if c > pos]
        following = [r for r in following if not any(c < r.start for c in counts)]
        if following:
            return ctx.nearest_date(s, pos, among=following)
    return ctx.nearest_date(s, pos, among=others)


def _in_aside(between: str) -> bool:
    """Whether text after a count has opened a parenthesis it has not closed."""
    return between.count("(") > between.count(")")


def _count_starts(ctx: Context, s) -> list[int]:
    """Where the counts of sentence `s` start (years left out)."""
    return [
        q.start()
        for q in QUANTITY_SCAN.finditer(ctx.text, ctx.folded, s.start, s.end)
        if not YEAR_RE.fullmatch(q.group()) and (parse_quantity(q) or 0) >= MIN_QUANTITY
    ]


def _status(ctx: Context, window: tuple[int, int], pos: int, date) -> str:
    """planned / operational from a deadline, a future date, or the nearest tense cue."""
    if date is not None:
        phrase = date.phrase.lower()
        if phrase.startswith("by ") or "end of" in phrase:
            return "planned"
        if date.date and ctx.published and date.date > ctx.published:
            return "planned"
    planned = cue_near(ctx.text, window, pos, PLANNED_CUES, ctx.folded)
    operational = cue_near(ctx.text, window, pos, OPERATIONAL_CUES, ctx.folded)
    if planned is None and operational is None:
        return "unspecified"
    if operational is None:
        return "planned"
    if planned is None:
        return "operational"
    return "planned" if planned <= operational else "operational"


__all__ = ["extract", "parse_quantity"]
