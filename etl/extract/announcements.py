"""Announcement facts: a model, product, reorganisation, investment, build-out or event.

A trigger verb opens an object region; the subject is the first thing in it that is clearly a
thing (a quoted or "called" name, a model-like name, or a noun phrase whose head noun says what
it is). Category comes from the subject, else from the trigger. Sentences whose object is none
of these ("announced a strategic shift") yield nothing: precision over recall.
"""

from __future__ import annotations

import re
from functools import cache

import regex

from etl.entities import (
    NAME_TOKEN,
    NON_NAME_WORDS,
    canonical_org,
    find_chips,
    find_orgs,
    resolve_org_name,
)
from etl.extract.common import (
    first_of_joint,
    is_boilerplate,
    is_bystander,
    is_heading,
    pick_org,
)
from etl.extract.context import Context
from etl.model import Fact
from etl.text import PrefilteredPattern, Sentence, by_first_character, fold_for_scan

# trigger name -> (pattern, default category)
TRIGGERS: dict[str, tuple[str, str | None]] = {
    "release": (
        r"announc(?:e|es|ed|ing)|unveil(?:s|ed|ing)?|reveal(?:s|ed|ing)?|launch(?:es|ed|ing)?|releas(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|introduction\s+of"
        r"|debut(?:s|ed|ing)?|roll(?:s|ed|ing)?\s+out|open[\s\-]sourc(?:es|ed|ing)|(?:to|will)\s+open[\s\-]source|ship(?:s|ped|ping)|preview(?:s|ed|ing)?"
        r"|showcas(?:e|es|ed|ing)|tease(?:s|d)?|unleash(?:es|ed|ing)?|made\s+available|make\s+available|to\s+make\s+its\s+debut",
        "product",
    ),
    "train": (
        r"train(?:s|ed|ing)?|pre-?train(?:s|ed|ing)?|training\s+(?:phase|run)\s+for",
        "model",
    ),
    "invest": (
        r"invest(?:s|ed|ing|ment\s+in|ments\s+in)?|t(?:ook|akes?|aking)\s+(?:an?\s+)?(?:[^\s]+\s+){0,2}?stake|acquir(?:e|es|ed|ing)|acquisition\s+of|bought|buy(?:s|ing)?|stake\s+in|back(?:s|ed|ing)"
        r"|fund(?:s|ed|ing)|rais(?:e|es|ed|ing)|pour(?:s|ed|ing)|commit(?:s|ted)",
        "investment",
    ),
    "organise": (
        r"merg(?:e|es|ed|ing)|combin(?:e|es|ed|ing)|consolidat(?:e|es|ed|ing)|bring(?:s|ing)?|brought|reorgani[sz](?:e|es|ed|ing)"
        r"|restructur(?:e|es|ed|ing)|form(?:s|ed|ing)?|creat(?:e|es|ed|ing)|(?:co-?)?found(?:s|ed|ing)|set(?:s|ting)?\s+up|establish(?:es|ed|ing)?"
        r"|spun\s+(?:out|off)|spin(?:s|ning)?\s+(?:out|off)|split(?:s|ting)?|dissolv(?:e|es|ed|ing)|disband(?:s|ed|ing)?|assembl(?:e|es|ed|ing)",
        "organisation",
    ),
    "build": (
        r"build(?:s|ing)?|built|construct(?:s|ed|ing)?|activat(?:e|es|ed|ing)|break(?:s|ing)?\s+ground|broke\s+ground|open(?:s|ed|ing)|(?:to|will|would)\s+open|expand(?:s|ed|ing)?|power(?:s|ed|ing)?\s+up|switch(?:ed|es)\s+on",
        "infrastructure",
    ),
    "online": (
        r"(?:come|comes|came|coming|go|goes|went|going|be\s+brought|was\s+brought|is\s+brought)\s+(?:online|live|into\s+service)"
        r"|(?:is|was|will\s+be|would\s+be|to\s+be)\s+(?:completed|operational|switched\s+on)",
        "infrastructure",
    ),
    "event": (
        r"host(?:s|ed|ing)?|hold(?:s|ing)?|held|attend(?:s|ed|ing)?|participat(?:e|es|ed|ing|ion)|speak(?:s|ing)?\s+at|spoke\s+at"
        r"|orchestrat(?:e|es|ed|ing)|organi[sz](?:e|es|ed|ing)|convene(?:s|d)?|keynote",
        "event",
    ),
}
TRIGGER_RE = regex.compile(
    "|".join(rf"(?P<{name}>(?<![\w\-])(?:{pat})(?![\w\-]))" for name, (pat, _) in TRIGGERS.items()),
    regex.IGNORECASE,
)
# Where a trigger can start, for a fast scan of the case-folded text: the same words without the
# right-hand boundary, after a character that folds to no word character or hyphen. The words
# are lower case, so they match the folded text as IGNORECASE matches the original.
assert all(pat == pat.lower() for pat, _ in TRIGGERS.values())
TRIGGER_SCAN = PrefilteredPattern(
    TRIGGER_RE,
    re.compile(
        r"(?<![a-z0-9_\-])(?:" + by_first_character(pat for pat, _ in TRIGGERS.values()) + ")"
    ),
)

HEAD_NOUNS: dict[str, str] = {
    # head noun (regex) -> category
    r"(?:large\s+)?language\s+models?|LLMs?|(?:AI\s+|foundation\s+|frontier\s+|reasoning\s+|open[\s\-]source\s+|open[\s\-]weights?\s+)?models?|model\s+family|model\s+series": "model",
    r"chatbots?|assistants?|apps?|applications?|glasses|headsets?|devices?|features?|agents?|tools?|platforms?|services?|APIs?|products?|personas|characters|subscriptions?|browser|search\s+engine|copilot": "product",
    r"teams?|labs?|laborator(?:y|ies)|units?|divisions?|groups?|organi[sz]ations?|departments?|reorgani[sz]ations?|restructuring|merger|(?:research\s+)?efforts|research\s+arms?|subsidiar(?:y|ies)|offices?|hubs?|headquarters|joint\s+ventures?": "organisation",
    r"investments?|stakes?|acquisitions?|funding\s+rounds?|rounds?|deals?|partnerships?": "investment",
    r"data\s*cent(?:er|re)s?|campus(?:es)?|clusters?|supercomputers?|(?:compute|computing|AI)\s+infrastructure|infrastructure|facilit(?:y|ies)|superclusters?|server\s+farms?|fabs?": "infrastructure",
    r"summits?|conferences?|keynotes?|hearings?|events?|forums?|hackathons?|showcases?|(?:developer|investor|analyst)\s+days?|expo": "event",
}
HEAD_RE = regex.compile(
    "|".join(f"(?P<h{i}>(?<![\\w\\-])(?:{pat})(?![\\w\\-]))" for i, pat in enumerate(HEAD_NOUNS)),
    regex.IGNORECASE,
)
HEAD_CATEGORIES = list(HEAD_NOUNS.values())
# Where a head noun can start, for a fast scan of the case-folded text (see PrefilteredPattern).
# Lower-casing the nouns is safe: they use no escape with a capital letter (\S, \W, ...).
assert not any(re.search(r"\\[A-Z]", pat) for pat in HEAD_NOUNS)
HEAD_SCAN = PrefilteredPattern(
    HEAD_RE,
    re.compile(r"(?<![a-z0-9_\-])(?:" + by_first_character(p.lower() for p in HEAD_NOUNS) + ")"),
)

MODEL_FAMILIES = r"(?:Llama|LLaMA|GPT|Gemini|Gemma|Claude|Grok|Mistral|Mixtral|Magistral|Codestral|Pixtral|Qwen|DeepSeek|Phi|Sora|DALL[-·]E|Codex|Nova|Titan|Ernie|ERNIE|Kimi|GLM|Veo|Imagen|PaLM|Bard|Falcon|Jamba|Olmo|OLMo|Yi|Hunyuan|Doubao|MiniMax|Command|Aya|Stable\s+Diffusion|Midjourney|o\d)"
# A product or model name: capitalised words and version tokens ("Gemini 2.5 Pro", "GPT-4o", "o3-mini").
VERSION_TOKEN = r"(?:\d[\w.]*|v\d[\w.]*|[Mm]ini|[Nn]ano|[Pp]ro|[Mm]ax|[Tt]urbo|[Ff]lash|[Uu]ltra|[Ss]onnet|[Oo]pus|[Hh]aiku|[Ll]ite|[Pp]lus|[Ll]arge|[Ss]mall|[Mm]edium|[Ii]nstruct|[Cc]hat|[Vv]ision|[Ss]cout|[Mm]averick|[Bb]ehemoth|[Rr]easoning|Omni|XL)"
NAME_RE = regex.compile(
    rf"(?<![\w\-])(?P<name>(?:{MODEL_FAMILIES}|\p{{Lu}}[\w.]*\p{{Lu}}?[\w.]*)(?:[\s\-](?:{VERSION_TOKEN}|\p{{Lu}}[\w.]+))*(?:[\s\-]{VERSION_TOKEN})*)(?![\w\-])"
)
QUOTED_RE = regex.compile(r"[\"“](?P<name>\p{Lu}[^\"”]{1,40}?)[.,]?[\"”]")
CALLED_RE = regex.compile(
    r"(?:called|named|dubbed|known\s+as|under\s+the\s+name|codenamed|code-named|branded(?:\s+as)?)\s+[\"“]?(?P<name>\p{Lu}[\w\-.]*(?:\s+(?:\p{Lu}[\w\-.]*|\d[\w.]*))*)"
)
# Named units joined by "and": "(FAIR and GenAI)", "Google Brain and DeepMind".
UNITS_RE = regex.compile(
    r"(?P<name>\p{Lu}[\w\-]*(?:\s+\p{Lu}[\w\-]*){0,2}\s+and\s+\p{Lu}[\w\-]*(?:\s+\p{Lu}[\w\-]*){0,2})"
)
# "an AI agent that ...": a single-word name described by a head noun right after it.
DESCRIBED_RE = regex.compile(
    r",\s+(?:a|an|the|its|our)\s+(?:[\w\-]+\s+){0,3}?(?:" + "|".join(HEAD_NOUNS) + r")\b",
    regex.IGNORECASE,
)
APPOSITIVE_RE = regex.compile(
    r",\s+(?P<name>\p{Lu}[\w/.&\-]*(?:\s+(?:\p{Lu}[\w/.&\-]*|\d[\w.]*)){0,3})\s*(?=,|\s+(?:to|that|which|on|in|at|for)\b)"
)
MERGE_RE = regex.compile(
    r"\s+(?:the\s+)?(?P<a>[\w\-\s]{2,50}?)\s+(?:into|with)\s+(?P<b>\p{Lu}[\w\-]*(?:\s+\p{Lu}[\w\-]*){0,2})"
)
# The text before a trigger that makes it a plan or a rumour. Right to left ((?r)): the match
# must end that text, and only whether there is one is used.
HEDGE_RE = regex.compile(
    r"(?r)(?:talks|negotiations|discussions)\s+(?:about|over|on|to|with|for)\s+(?:\S+\s+){0,3}$|(?:consider\w*|weigh\w*|explor\w*|rumou?r\w*|mull\w*|not|never|n't|declin\w*|refus\w*|whether|if|seek\w*|hop\w*|aim\w*\s+to|tr(?:y|ies|ying)\s+to)\s+(?:\S+\s+){0,2}$",
    regex.IGNORECASE,
)
PUFFERY = r"""(?:a|an|the|its|their|his|her|our|this|that|these|new|brand-new|all-new|groundbreaking|revolutionary|next-gen|next-generation
  |latest|upcoming|forthcoming|future|largest|biggest|massive|ambitious|major|fresh|powerful|advanced|multi-faceted|high-profile|dedicated
  |secretive|secret|flagship|long-awaited|much-anticipated|highly\s+anticipated|anticipated|cutting-edge|state-of-the-art|two|three|several
  |significant|substantial|huge|giant|big|bold|landmark|expansive|early|initial|closer|together|distinct|own|further|more|additional
  |substantial|robust|high-end|top-tier|world-class|elite|small|smaller|larger|bigger|next|so-called|rumored|reported|potential|possible)"""
PUFFERY_RE = regex.compile(rf"^(?:{PUFFERY}[\s,]+)+", regex.IGNORECASE | regex.VERBOSE)
REGION_STOP_RE = regex.compile(
    r"[;:]|\s[—–]\s|,\s+(?:which|who|while|but|and\s+(?:is|has|will|it|the))\b|\s+(?:which|that|because|although|while|whereas)\s",
    regex.IGNORECASE,
)
CLAUSE_STOP_RE = regex.compile(r"[;:]|\s[—–]\s")
TO_END_RE = regex.compile(r"\bto\s+$")
MERGE_VERB_RE = regex.compile(r"(?i)merg|fold|combin|consolidat")
TRAINING_RE = regex.compile(r"(?i)training|pre-?training|training\s+phase")
CAPITALISED_BEFORE_RE = regex.compile(r"(?:[\p{Lu}][\w\-]*\s+){1,3}$")
MODEL_FAMILY_RE = regex.compile(MODEL_FAMILIES)
DIGIT_RE = regex.compile(r"\d")
CAMEL_RE = regex.compile(r"\p{Ll}\p{Lu}")
MODEL_NAME_RE = regex.compile(r"[\s\-]\d|\d[\s\-]?(?:mini|pro|turbo)|[A-Za-z]-?\d")
# Up to four words before a head noun. Right to left ((?r)): the same match as a forward search
# unless the text ends with a line break (a sentence never does), without trying every start.
MODIFIERS_BEFORE_RE = regex.compile(r"(?r)(?:[\w\-\"“”'’]+\s+){0,4}$")
DETERMINER_RE = regex.compile(r"(?i)\b(?:a|an|the|its|their|our|his|her|this|that)\s+")
ANY_RE = regex.compile(r".*")
QUOTE_MARKS_RE = regex.compile(r"[\"“”]")
PREPOSITION_LEAD_RE = regex.compile(r"^.*\b(?:of|in|for|with|to|on|at|by|from|into|as|and|or)\s+")
POSSESSOR_LEAD_RE = regex.compile(r"^(?:\p{Lu}[\w.]*(?:['’]s)\s+)")
INVESTEE_LEAD_RE = regex.compile(
    r"\bin\s+(?:the\s+)?(?:AI\s+(?:data\s+)?(?:company|startup|lab)\s+|startup\s+|rival\s+)?"
)
MAX_REGION = 110
NOT_SUBJECTS = frozenset("AI AGI ASI It The This That We Our He She They US UK EU".split())


# Bare head nouns too generic to be an announcement on their own ("the model", "infrastructure").
GENERIC_HEADS = frozenset(
    "model models infrastructure product products tool tools feature features platform platforms "
    "service services device devices app apps deal deals partnership partnerships round".split()
)
NAME_WINDOW_WORDS = 6
NOUN_WINDOW_WORDS = 9
DATE_REACH = 80  # a date phrase farther than this from the trigger belongs to another clause


def extract(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    headline = _headline_end(ctx.text)
    for s in ctx.sentences:
        if is_heading(s.text) or is_boilerplate(s.text) or s.end <= headline:
            continue
        earlier = False
        for t in TRIGGER_SCAN.finditer(ctx.text, ctx.folded, s.start, s.end):
            fact = _fact_for_trigger(ctx, s, t, earlier)
            if fact is not None:
                facts.append(fact)
                earlier = True
        if not earlier:
            facts.extend(_nominal_facts(ctx, s))
    return facts


# "to train", "for creating": a verb that says what something is for, not what happened...
PURPOSE_RE = regex.compile(
    r"(?:\bto|\b(?:for|by|after|before|of|in|while|when)\s+\w+ing(?=\s+$)|\b(?:for|by|after|before|of|in|while|when))\s+$",
    regex.IGNORECASE,
)
# ... unless the one before says it is planned: "plans to release", "is set to open".
INTENT_RE = regex.compile(
    r"\b(?:plans?|planning|aims?|aiming|intends?|set|going|expected|expects?|wants?|hopes?|will|would|is\s+about|agreed|decided|prepares?|preparing|ready|moves?|looks?|seeks?)\s+to\s+$",
    regex.IGNORECASE,
)


def _headline_end(text: str) -> int:
    """End of the article's headline (its first line, unpunctuated and short), or 0.

    A headline restates the body in fewer words; the body's sentence is the one to quote.
    """
    first = text.lstrip()
    line = first.split("\n", 1)[0].strip()
    if "\n" not in first or not line or line[-1] in ".!?\"”'’" or len(line.split()) > 25:
        return 0
    return len(text) - len(first) + len(line)


# Announcements stated without a verb: "Inflection AI's $1.3 billion funding round", "a new data
# centre project, known as "Hyperion"".
ROUND_RE = regex.compile(
    r"['’]s\s+(?P<amount>[$€£¥]\s?\d[\d.,]*\s*(?:billion|million|bn|mn|[bm])?)\s+(?:[\w\-]+\s+)?(?:funding|investment|financing|seed|series\s+\w)\s+round"
)
KNOWN_AS_RE = regex.compile(
    r"(?:\b(?:a|an|the|its|their)\s+)(?:new\s+)?(?P<head>(?:[\w\-]+\s+){0,3}?(?:project|supercomputer|cluster|supercluster|data\s*cent(?:er|re)|campus|model|lab|team|unit|chip|facility|initiative|system)),?\s+(?:known\s+as|called|dubbed|named|codenamed|code-named)\s+[\"“]?(?P<name>\p{Lu}[\w\-.]*(?:\s+(?:\p{Lu}[\w\-.]*|\d[\w.]*))*)",
    regex.IGNORECASE,
)


def _nominal_facts(ctx: Context, s: Sentence) -> list[Fact]:
    text = ctx.text
    out = []
    for m in ROUND_RE.finditer(text, s.start, s.end):
        owner = [o for o in ctx.orgs(s) if o.end == m.start()]
        if owner:
            subject = f"{' '.join(m.group('amount').split())} funding round"
            date = ctx.nearest_date(s, m.start(), reach=DATE_REACH)
            out.append(
                ctx.fact(
                    s,
                    "announcement",
                    date,
                    rule="round",
                    org=owner[0].name,
                    subject=subject,
                    category="investment",
                )
            )
    named = KNOWN_AS_RE.search(text, s.start, s.end)
    if named and named.group("name").split()[0] not in NOT_SUBJECTS:
        if canonical_org(named.group("name")) is None and not HEDGE_RE.search(
            text, s.start, named.start()
        ):
            subject = f"{named.group('name')} {' '.join(named.group('head').split())}"
            out.append(
                ctx.fact(
                    s,
                    "announcement",
                    ctx.nearest_date(s, named.start(), reach=DATE_REACH),
                    rule="known_as",
                    org=pick_org(ctx, s, named.start(), exclude_vendors=False),
                    subject=subject,
                    category=_category_of(subject, "") or "infrastructure",
                )
            )
    return out


def _wide_region_end(text: str, s: Sentence, t: regex.Match) -> int:
    """Where a "called X" may still name the trigger's object: up to 150 characters, one clause."""
    end = min(s.end, t.end() + 150)
    stop = CLAUSE_STOP_RE.search(text, t.end(), end)
    return stop.start() if stop else end


def _head_category(text: str, start: int, end: int, folded: str | None = None) -> str | None:
    heads = list(HEAD_SCAN.finditer(text, folded, start, end))
    return HEAD_CATEGORIES[int(heads[-1].lastgroup[1:])] if heads else None


def _region(ctx: Context, s: Sentence, t: regex.Match) -> tuple[int, int]:
    end = min(s.end, t.end() + MAX_REGION)
    stop = REGION_STOP_RE.search(ctx.text, t.end(), end)
    return t.end(), stop.start() if stop else end


def _fact_for_trigger(ctx: Context, s: Sentence, t: regex.Match, earlier: bool) -> Fact | None:
    kind = t.lastgroup
    text = ctx.text
    before = text[max(s.start, t.start() - 60) : t.start()]
    if HEDGE_RE.search(before):
        return None
    if earlier and TO_END_RE.search(before):
        return None  # a purpose clause ("... to build AI infrastructure") of an announcement already taken
    if (
        PURPOSE_RE.search(before)
        and not INTENT_RE.search(before)
        and not CALLED_RE.search(text, t.end(), _wide_region_end(text, s, t))
    ):
        return None  # "is using Rainier to train Claude", "for creating AlphaFold": not news of it
    subject = category = None
    rule = "noun"
    if kind == "online":
        subject, category = _subject_before(ctx, s, t)
    elif PARTICIPLE_RE.fullmatch(t.group()):
        subject, category = _subject_of_participle(ctx, s, t)
        rule = "participle"
    if subject is None and kind != "online":
        subject, category = _subject_after(ctx, s, t, kind)
        rule = "named" if subject and SPECIFIC_NAME_RE.match(subject) else "noun"
    if subject is None and kind in ("organise", "release", "build"):
        # "The new group, called Meta Superintelligence Labs (MSL), brings together ...".
        called = CALLED_RE.search(text, s.start, t.start())
        if called and called.group("name").split()[0] not in NOT_SUBJECTS:
            subject = called.group("name").strip().rstrip(".,")
            category = _category_of(subject, "") or TRIGGERS[kind][1]
    if subject is None:
        subject, category = _appointment(ctx, s, t)
        rule = "appointment"
    if subject is None:
        return None
    date = ctx.nearest_date(s, t.start(), reach=DATE_REACH)
    # A founding is the founded organisation's news: "High-Flyer was founded in 2015".
    base = subject.removesuffix(" founded")
    founded = FOUNDING_WORD_RE.match(t.group()) and (
        resolve_org_name(base) or (base if base != subject else None)
    )
    return ctx.fact(
        s,
        "announcement",
        date,
        rule=rule,
        org=founded or _announcer(ctx, s, t, subject),
        subject=subject,
        category=category or TRIGGERS[kind][1],
    )


# Capitalised words of the trade that name nothing in particular.
TRADE_ACRONYMS = r"(?:AI|GPU|GPUs|LLM|LLMs|AGI|API|APIs|US|EU|UK)"
# A subject holding a capitalised word or a number names a particular thing.
SPECIFIC_NAME_RE = regex.compile(rf"[$€£]?\d|(?!{TRADE_ACRONYMS}\b)\p{{Lu}}")


def _announcer(ctx: Context, s: Sentence, t: regex.Match, subject: str) -> str | None:
    """Who announced: the organisation before the trigger, but not one that is the subject
    itself ("The Stargate project ... unveiled") nor a partner named with "with"."""
    text = ctx.text
    before = [m for m in ctx.orgs(s) if m.end <= t.start()]
    for i in range(len(before) - 1, -1, -1):
        m = before[i]
        if text.startswith(subject, m.start) or is_bystander(text, s, m):
            continue  # "The Stargate project ... unveiled" names the subject itself
        return before[first_of_joint(text, before, i)].name
    if ctx.main_org and ctx.main_org not in subject:
        return ctx.main_org
    return pick_org(ctx, s, t.start(), exclude_vendors=False)


# Past participles that describe a thing named before them ("Colossus, which was launched in
# June", "DeepMind, a company that Google acquired in 2014") or after them ("Launched a month
# ago, Colossus ...").
PARTICIPLE_RE = regex.compile(
    r"(?i)(?:announced|unveiled|launched|introduced|released|debuted|rolled\s+out|formed|created|established|(?:co-?)?founded|built|opened|activated|completed|acquired|bought|set\s+up)"
)
# "X, which was launched", "X, a collaboration with SoftBank unveiled", "X, a company that
# Google acquired": the thing is the name right before the comma that opens the clause.
NAME_COMMA_RE = regex.compile(
    r"(?<![\w.\-])(?:(?:The|the|A|a|An|an)\s+)?(?P<name>(?:\p{Lu}[\w.\-]*['’]s\s+)?\p{Lu}[\w.\-]*(?:\s+(?:\p{Lu}[\w.\-]*|\d[\w.]*))*(?:\s+(?:project|initiative|venture|lab|labs|model|supercomputer|cluster|campus|data\s+cent(?:er|re)|facility|team|division|unit))?),\s+"
)
RELATIVE_LEAD_RE = regex.compile(
    r"(?:which|that|who)\s+(?:was|were|had\s+been|has\s+been|is|are)\s+(?:\w+ly\s+|just\s+)?|(?:a|an|the)\s+[^,;]{0,60}?(?:that|which)\s+[^,;]{0,40}?|(?:a|an|the)\s+[^,;]{0,60}?|[\w.\-]+(?:\s+[\w.\-]+)?['’]s\s+[^,;]{0,60}?",
    regex.IGNORECASE,
)
PARTICIPLE_TAIL_RE = regex.compile(
    r"\s+(?:in|on|at|last|earlier|this|back|by|just|only|as|\d|a\s+(?:month|week|year))",
    regex.IGNORECASE,
)
PASSIVE_NAME_RE = regex.compile(
    r"(?:^|[,;]\s+|\s)(?P<name>\p{Lu}[\w.\-]*(?:\s+\p{Lu}[\w.\-]*){0,3})\s+(?:was|were|had\s+been|has\s+been)\s+(?:\w+ly\s+)?$"
)
FOUNDING_WORD_RE = regex.compile(r"(?i)(?:co-?)?founded|created|established|formed|set\s+up")
LEADING_PARTICIPLE_RE = regex.compile(
    r"[^,;]{0,60},\s+(?P<name>\p{Lu}[\w.\-]*(?:\s+(?:\p{Lu}[\w.\-]*|\d[\w.]*))*)"
)


def _subject_of_participle(
    ctx: Context, s: Sentence, t: regex.Match
) -> tuple[str | None, str | None]:
    text = ctx.text
    if t.start() == s.start:  # "Launched just a month prior, Colossus quickly gained ..."
        m = LEADING_PARTICIPLE_RE.match(text, t.end(), s.end)
        if m and _plausible_name(ctx, s, m.group("name"), m.start("name")):
            return m.group("name"), _category_of(m.group("name"), "")
        return None, None
    if not PARTICIPLE_TAIL_RE.match(text, t.end(), s.end):
        return None, None
    # "High-Flyer was founded in 2015", "Anthropic was created in early 2021 by ...".
    passive = PASSIVE_NAME_RE.search(text[s.start : t.start()])
    if passive and FOUNDING_WORD_RE.match(t.group()):
        name = passive.group("name")
        if resolve_org_name(name) or _plausible_name(ctx, s, name, s.start + passive.start("name")):
            return f"{name} founded", "organisation"
    opening = None
    for m in NAME_COMMA_RE.finditer(text, s.start, t.start(), overlapped=True):
        if RELATIVE_LEAD_RE.fullmatch(text, m.end(), t.start()):
            opening = m
            break
    if opening is None:
        return None, None
    name = POSSESSOR_LEAD_RE.sub("", opening.group("name"))
    if not _plausible_name(ctx, s, name, opening.start("name")):
        return None, None
    return name, _category_of(name, text[opening.end() : t.start()])


def _plausible_name(ctx: Context, s: Sentence, name: str, start: int) -> bool:
    """A name of a thing: not a person, a date or a sentence-opening word."""
    first = name.split()[0]
    if first in NOT_SUBJECTS or first in NON_NAME_WORDS and len(name.split()) == 1:
        return False
    blocked = [(p.start, p.end) for p in ctx.people(s)] + [(d.start, d.end) for d in ctx.dates(s)]
    return not any(start < e and b < start + len(name) for b, e in blocked)


# "Meta announced that Zhao will officially serve as its Chief Scientist": an appointment.
APPOINTMENT_RE = regex.compile(
    r"\s+that\s+(?P<person>\p{Lu}[\w\-]*(?:\s+\p{Lu}[\w\-]*){0,2})\s+(?:will|would|is\s+to|has\s+been\s+(?:named|appointed))\s+(?:\w+ly\s+)?(?:serve\s+as|become|be|lead|head|run)\s+(?P<role>[^,.;]{3,60})"
)


def _appointment(ctx: Context, s: Sentence, t: regex.Match) -> tuple[str | None, str | None]:
    if t.lastgroup != "release":
        return None, None
    m = APPOINTMENT_RE.match(ctx.text, t.end(), s.end)
    if m is None:
        return None, None
    person = next((p for p in ctx.people(s) if p.start == m.start("person")), None)
    if person is None:
        return None, None
    role = PUFFERY_RE.sub("", m.group("role")).strip()
    return f"{person.name} as {role}", "organisation"


def _subject_after(
    ctx: Context, s: Sentence, t: regex.Match, kind: str
) -> tuple[str | None, str | None]:
    """The thing a trigger announces, from the words after it (most specific evidence first)."""
    text = ctx.text
    start, end = _region(ctx, s, t)
    if kind == "invest":
        found = _investment_subject(ctx, s, t, start, end)
        if found[0]:
            return found
    wide = _wide_region_end(text, s, t)
    called = CALLED_RE.search(text, start, wide)
    if called and called.group("name").split()[0] not in NOT_SUBJECTS:
        name = called.group("name").strip().rstrip(".,")
        return name, _category_of(name, text[start:end]) or _head_category(
            text, start, called.start(), ctx.folded
        )
    if kind == "organise":
        merged = MERGE_RE.match(text, start, end)
        if merged and MERGE_VERB_RE.match(t.group()):
            a = PUFFERY_RE.sub("", merged.group("a")).strip()
            return f"{a} and {merged.group('b')}", "organisation"
        units = UNITS_RE.search(text, start, _name_window_end(text, start, end, 10))
        if (
            units
            and not any(w in NOT_SUBJECTS for w in units.group("name").split())
            and not any(units.start() < p.end and p.start < units.end() for p in ctx.people(s))
        ):
            return units.group("name"), "organisation"
        return _noun_or_appositive(ctx, s, kind, start, end)
    subject, category = _named_subject(ctx, s, start, end)
    if subject is not None:
        return subject, category or TRIGGERS[kind][1]
    if kind in ("release", "build"):
        # "xAI activated Colossus", "introduced its new AI architecture, Gemini": a one-word
        # name right after the verb, or after a short description and a comma.
        single = SINGLE_NAME_RE.match(text, start, end)
        if single and _is_bare_name(ctx, s, single):
            return single.group("name"), TRIGGERS[kind][1]
    if kind == "train" and not TRAINING_RE.match(t.group()):
        return None, None  # "has trained a model" is history, not news; named models pass above
    return _noun_or_appositive(ctx, s, kind, start, end)


SINGLE_NAME_RE = regex.compile(
    r"\s+(?:(?:its|their|the|a|an)\s+(?:[\w\-]+\s+){0,4}?[\w\-]+,\s+)?(?P<name>\p{Lu}[\w\-]{2,})(?=\s*(?:[.,;:)]|$|\s+(?:in|on|at|last|this|earlier|today|to|for|with|which|that|and|as)\b))"
)


def _is_bare_name(ctx: Context, s: Sentence, m: regex.Match) -> bool:
    """Whether a lone capitalised word is a product's name: not an organisation, person, date
    or a word that starts sentences."""
    name = m.group("name")
    if name in NOT_SUBJECTS or canonical_org(name) is not None or name in NON_NAME_WORDS:
        return False
    span = m.span("name")
    blocked = [(p.start, p.end) for p in ctx.people(s)] + [(d.start, d.end) for d in ctx.dates(s)]
    return not any(span[0] < e and b < span[1] for b, e in blocked)


def _noun_or_appositive(
    ctx: Context, s: Sentence, kind: str, start: int, end: int
) -> tuple[str | None, str | None]:
    text = ctx.text
    window_end = _name_window_end(text, start, end, NOUN_WINDOW_WORDS)
    subject, category, head_end = _noun_subject(text, start, window_end, ctx.folded)
    if subject is None or not _fits(kind, category):
        return None, None
    # "a new organisation, Microsoft AI, to house ..." / "its developer conference, I/O, on May 20"
    appositive = APPOSITIVE_RE.match(text, head_end, s.end)
    if appositive and appositive.group("name").split()[0] not in NOT_SUBJECTS:
        return appositive.group("name"), category
    if subject.lower() not in GENERIC_HEADS and (
        SPECIFIC_RE.search(subject) or not _is_bare(subject)
    ):
        return subject, category
    # "a partnership with OpenAI", "a new supercomputer on Azure": specific by what it names.
    # A bare head ("team", "GPU clusters", "AI infrastructure") says nothing an analyst can use.
    complement = COMPLEMENT_RE.match(text, head_end, s.end)
    if complement and not any(
        complement.start() < d.end and d.start < complement.end() for d in ctx.dates(s)
    ):
        return f"{subject}{complement.group()}".strip(), category
    return None, None


# A noun phrase is specific when it holds a name or a number: "Fairwater datacenter", "$14.3
# billion investment", "100,000-GPU cluster". Acronyms of the trade do not count.
SPECIFIC_RE = regex.compile(rf"\d|(?<![\w\-])(?!{TRADE_ACRONYMS}\b)\p{{Lu}}[\w\-]*")
# Words that tell one team, cluster or round from another no better than its head does.
EMPTY_MODIFIERS = frozenset(
    "ai gpu gpus compute computing cloud research physical frontier existing any first core "
    "critical key social media data tech technology global multiple various other some one single "
    "foundation foundational large-scale large small chip chips its their".split()
)
# Heads that, bare, name no particular thing: "team", "AI efforts", "data centers", "funding round".
BARE_HEADS = frozenset(
    "team teams effort efforts unit units lab labs laboratory office offices round rounds stake "
    "stakes infrastructure platform platforms cluster clusters centers centres datacenters "
    "products models deals deal investment investments partnership partnerships services tools "
    "features apps devices facilities group groups division divisions superclusters fundinground "
    "fundingrounds datacenters datacentres".split()
)


def _is_bare(subject: str) -> bool:
    """Whether a noun phrase is only a generic head once empty modifiers are dropped."""
    words = [w for w in subject.lower().replace("-", " ").split() if w not in EMPTY_MODIFIERS]
    if words[-2:] in (["funding", "round"], ["data", "center"], ["data", "centers"]):
        words = words[:-2] + ["".join(words[-2:])]
    return len(words) <= 1 and (not words or words[0] in BARE_HEADS or words[0].startswith("data"))


# "a partnership with OpenAI", "a stake in Scale AI": a complement that names who.
COMPLEMENT_RE = regex.compile(
    r"\s+(?:with|in|of|for|between|on|at)\s+(?:the\s+)?(?:\p{Lu}[\w.&\-]*)(?:\s+(?:\p{Lu}[\w.&\-]*|AI|and\s+\p{Lu}[\w.&\-]*))*"
)


def _subject_before(ctx: Context, s: Sentence, t: regex.Match) -> tuple[str | None, str | None]:
    """For "X will come online next year": the noun phrase or name just before the trigger."""
    text = ctx.text
    start = max(s.start, t.start() - 80)
    clause = text[start : t.start()]
    called = CALLED_RE.search(clause)
    if called:
        name = called.group("name").strip().rstrip(".,")
        return name, _category_of(name, "") or _head_category(
            clause, 0, called.start()
        ) or "infrastructure"
    heads = list(HEAD_RE.finditer(clause))
    head = heads[-1] if heads else None
    if head is None:
        return None, None
    category = HEAD_CATEGORIES[int(head.lastgroup[1:])]
    if category not in TRIGGER_FITS["online"]:
        return None, None
    left = CAPITALISED_BEFORE_RE.search(clause[: head.start()])
    if left and not find_orgs(left.group()):
        return (left.group() + head.group()).strip(), category
    subject, category, _ = _noun_subject(clause, 0, len(clause))
    if subject is None or subject.lower() in GENERIC_HEADS:
        return None, None
    return subject, category


# Which head-noun categories a trigger may introduce: "opened a data center" yes, "opened a chatbot" no.
TRIGGER_FITS = {
    "release": {"model", "product", "infrastructure", "organisation", "event", "investment"},
    "train": {"model"},
    "invest": {"investment", "infrastructure"},
    "organise": {"organisation"},
    "build": {"infrastructure", "organisation"},
    "event": {"event"},
    "online": {"infrastructure", "product", "model"},
}


def _fits(kind: str, category: str) -> bool:
    return category in TRIGGER_FITS[kind]


def _named_subject(
    ctx: Context, s: Sentence, start: int, end: int
) -> tuple[str | None, str | None]:
    """A quoted or product-like name at the head of the object (its first words, before a comma)."""
    text = ctx.text
    quoted = QUOTED_RE.search(text, start, end)
    if quoted and quoted.group("name").split()[0] not in NOT_SUBJECTS:
        name = quoted.group("name").strip().rstrip(".,")
        return name, _category_of(name, text[start:end])
    name_end = _name_window_end(text, start, end)
    blocked = None  # spans of people, chips and dates, found when a name candidate needs them
    for m in NAME_RE.finditer(text, start, name_end):
        if blocked is None:
            blocked = (
                [(p.start, p.end) for p in ctx.people(s)]
                + [(c.start, c.end) for c in find_chips(text, start, name_end, ctx.folded)]
                + [(d.start, d.end) for d in ctx.dates(s)]
            )
        if any(m.start() < e and b < m.end() for b, e in blocked):
            continue
        if COMPARED_BEFORE_RE.search(text, start, m.start()):
            continue  # "a model competitive with GPT-4o": the yardstick, not the thing
        name = _strip_leading_org(m.group("name").strip().rstrip(".,"))
        if not name or name in NOT_SUBJECTS or name.split()[0] in NOT_SUBJECTS:
            continue
        if canonical_org(name) is not None:
            continue  # an organisation is not the thing announced
        following = text[m.end() : end]
        if not _looks_like_product(name) and not DESCRIBED_RE.match(following):
            continue
        return name, _category_of(name, following)
    return None, None


COMPARED_BEFORE_RE = regex.compile(
    r"(?:with|than|like|to|versus|vs\.?|against|rival(?:ing|s)?|beat(?:s|ing)?|match(?:es|ing)?)\s+(?:\w+\s+)?$",
    regex.IGNORECASE,
)


def _name_window_end(text: str, start: int, end: int, words: int = NAME_WINDOW_WORDS) -> int:
    """End of the object's head: its first few words, before any comma."""
    m = _words_re(words).match(text[start:end])
    return start + m.end() if m else end


@cache
def _words_re(words: int) -> regex.Pattern:
    return regex.compile(rf"(?:\s*[^\s,]+){{1,{words}}}")


def _strip_leading_org(name: str) -> str:
    """ "Google Gemini" -> "Gemini", but "Mistral Compute" stays whole."""
    for o in find_orgs(name):
        if o.start == 0 and o.end < len(name):
            rest = name[o.end :].strip()
            return rest if _looks_like_product(rest) else name
    return name


def _looks_like_product(name: str) -> bool:
    return (
        bool(MODEL_FAMILY_RE.match(name) or DIGIT_RE.search(name) or CAMEL_RE.search(name))
        or len(name.split()) >= 2
        and not find_orgs(name)
    )


def _category_of(name: str, following: str) -> str | None:
    if MODEL_FAMILY_RE.match(name) or MODEL_NAME_RE.search(name):
        return "model"
    head = _head_in(following[:40]) or _head_in(name)
    if head:
        return HEAD_CATEGORIES[int(head.lastgroup[1:])]
    return None


def _head_in(phrase: str) -> regex.Match | None:
    """The first head noun of a short phrase (HEAD_RE.search, scanned fast)."""
    return HEAD_SCAN.search(phrase, fold_for_scan(phrase), 0, len(phrase))


def _noun_subject(
    text: str, start: int, end: int, folded: str | None = None
) -> tuple[str | None, str | None, int]:
    """A noun phrase ending in a known head noun, with articles and puffery trimmed.

    `folded` is `ctx.folded` when `text` is the article's text, for a faster head-noun scan.
    """
    head = HEAD_SCAN.search(text, folded, start, end)
    if head is None:
        return None, None, end
    # Take up to four modifier words before the head, after the last determiner.
    left = MODIFIERS_BEFORE_RE.search(text[start : head.start()])
    if left:
        det = list(DETERMINER_RE.finditer(left.group()))
        if det:
            left = ANY_RE.search(left.group()[det[-1].end() :])
    phrase = (left.group() if left else "") + head.group()
    phrase = QUOTE_MARKS_RE.sub("", phrase)
    phrase = PREPOSITION_LEAD_RE.sub("", phrase)
    phrase = POSSESSOR_LEAD_RE.sub("", phrase)  # "Meta's research team"
    phrase = PUFFERY_RE.sub("", phrase).strip(" ,")
    if not phrase:
        return None, None, head.end()
    return phrase, HEAD_CATEGORIES[int(head.lastgroup[1:])], head.end()


def _investment_subject(
    ctx: Context, s: Sentence, t: regex.Match, start: int, end: int
) -> tuple[str | None, str | None]:
    """ "invest $2 billion in Scale AI" -> "Scale AI investment"; "acquired Windsurf" -> "Windsurf acquisition"."""
    text = ctx.text
    word = t.group().lower()
    acquisition = word.startswith(("acqui", "bought", "buy"))
    if acquisition:
        target = _org_name_at(
            ctx,
            s,
            start,
            end,
            lead=r"\s+(?:the\s+|an?\s+)?(?:(?:his|her|its|their)\s+(?:[\w\-]+\s+){0,2}?(?:startup|company|firm),\s+)?(?:(?:[a-z][\w\-]*|AI)\s+){0,3}?(?:startup\s+|start-up\s+|company\s+|firm\s+)?",
        )
        return (f"{target} acquisition", "investment") if target else (None, None)
    m = INVESTEE_LEAD_RE.search(text[start:end])
    if word.startswith(("invest", "stake", "back", "pour", "commit", "fund", "t")) and m:
        target = _org_name_at(ctx, s, start + m.end(), end, lead=DESCRIPTOR_LEAD)
        if target:
            return f"{target} investment", "investment"
    if word.startswith(("rais", "fund")):
        amount = AMOUNT_RE.search(text, start, end)
        if amount and VALUATION_RE.search(text, start, amount.start()):
            amount = None  # "this funding values the company at ...": a valuation
        if amount:  # "raised 105 million euros": the round is named by its size
            return f"{' '.join(amount.group().split())} funding round", "investment"
    if word.startswith("invest"):
        amount = AMOUNT_RE.match(text, start, end)
        target = INTO_RE.match(text, amount.end(), end) if amount else None
        if amount and target:  # "invest hundreds of billions of dollars into compute"
            return (
                f"investment of {' '.join(amount.group().split())} in {target.group('what')}",
                "investment",
            )
    return None, None


VALUATION_RE = regex.compile(r"(?i)\bvalu(?:es|ed|ing|ation)\b")
AMOUNT_RE = regex.compile(
    r"\s*(?:(?:up\s+to|about|around|some|nearly|over|more\s+than)\s+)?(?:[$€£¥]\s?\d[\d.,]*\s*(?:billion|million|trillion|bn|mn|[bmk])?|\d[\d.,]*\s*(?:billion|million|trillion)\s+(?:dollars|euros|pounds|yuan)|USD\s?\d[\d.,]*\s*(?:billion|million|trillion)?|(?:hundreds|tens|billions)\s+of\s+(?:billions|millions)\s+of\s+(?:dollars|euros))",
    regex.IGNORECASE,
)
INTO_RE = regex.compile(
    r"\s+(?:in|into)\s+(?P<what>(?:\w[\w\-]*\s+){0,3}?\w[\w\-]*)(?=\s*(?:[,.;]|$|\s+(?:to|for|by|over|in|across)\b))"
)


UNKNOWN_ORG_RE = regex.compile(
    rf"(?P<org>{NAME_TOKEN}(?:\.[a-z]{{2,3}})?(?:\s+(?:&\s+)?(?:{NAME_TOKEN}|AI|Labs?))*)"
)
# "in data-labelling start-up Scale AI": lower-case words describing the company before its name.
DESCRIPTOR_LEAD = r"(?:(?:[a-z][\w\-]*|AI)\s+){0,3}?(?=\p{Lu})"
TARGET_END_RE = regex.compile(
    r"(?:['’]s\s+(?:stake|shares|business)|\s*(?:[,.;)]|$)|\s+(?:for|in|at|from|on|last|this|earlier|later|and|to|with|as|by|over|after|before|was|were|is|will|which|that|—|–)\b)"
)


def _org_name_at(ctx: Context, s: Sentence, start: int, end: int, lead: str) -> str | None:
    text = ctx.text
    m = _lead_re(lead).match(text[start:end]) if lead else None
    pos = start + (m.end() if m else 0)
    for o in ctx.orgs(s):
        if o.start == pos:
            # "buying Nvidia hardware" buys products, not the company.
            if not TARGET_END_RE.match(text, o.end, s.end):
                return None
            return o.surface
    unknown = UNKNOWN_ORG_RE.match(text[pos:end])
    if unknown and unknown.group("org").split()[0] not in NOT_SUBJECTS:
        name = unknown.group("org")
        # An unknown investee must look like a company ("Wit.ai", "Scale AI"), not a place.
        if resolve_org_name(name) or ORGISH_RE.search(name):
            return name
    return None


ORGISH_RE = regex.compile(
    r"(?:\bAI|\bLabs?|\bInc\.?|\bTechnologies|\bSystems|\.ai|\.io|\p{Ll}\p{Lu}\w*)$|^\p{Lu}{2,}$|\s"
)


@cache
def _lead_re(lead: str) -> regex.Pattern:
    return regex.compile(lead)
