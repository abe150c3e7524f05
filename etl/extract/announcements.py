"""Announcement facts: a model, product, reorganisation, investment, build-out or event.

A trigger verb opens an object region; the subject is the first thing in it that is clearly a
thing (a quoted or "called" name, a model-like name, or a noun phrase whose head noun says what
it is). Category comes from the subject, else from the trigger. Sentences whose object is none
of these ("announced a strategic shift") yield nothing: precision over recall.
"""

from __future__ import annotations

import regex

from etl.entities import NAME_TOKEN, canonical_org, find_chips, find_orgs
from etl.extract.common import pick_org
from etl.extract.context import Context
from etl.model import Fact
from etl.text import Sentence

# trigger name -> (pattern, default category)
TRIGGERS: dict[str, tuple[str, str | None]] = {
    "release": (
        r"announc(?:e|es|ed|ing)|unveil(?:s|ed|ing)?|launch(?:es|ed|ing)?|releas(?:e|es|ed|ing)|introduc(?:e|es|ed|ing)|introduction\s+of"
        r"|debut(?:s|ed|ing)?|roll(?:s|ed|ing)?\s+out|open[\s\-]sourc(?:es|ed|ing)|(?:to|will)\s+open[\s\-]source|ship(?:s|ped|ping)|preview(?:s|ed|ing)?"
        r"|showcas(?:e|es|ed|ing)|tease(?:s|d)?|unleash(?:es|ed|ing)?|made\s+available|make\s+available|to\s+make\s+its\s+debut",
        "product",
    ),
    "train": (
        r"train(?:s|ed|ing)?|pre-?train(?:s|ed|ing)?|training\s+(?:phase|run)\s+for",
        "model",
    ),
    "invest": (
        r"invest(?:s|ed|ing|ment\s+in|ments\s+in)?|acquir(?:e|es|ed|ing)|acquisition\s+of|bought|buy(?:s|ing)?|stake\s+in|back(?:s|ed|ing)"
        r"|fund(?:s|ed|ing)|rais(?:e|es|ed|ing)|pour(?:s|ed|ing)|commit(?:s|ted)",
        "investment",
    ),
    "organise": (
        r"merg(?:e|es|ed|ing)|combin(?:e|es|ed|ing)|consolidat(?:e|es|ed|ing)|bring(?:s|ing)?|brought|reorgani[sz](?:e|es|ed|ing)"
        r"|restructur(?:e|es|ed|ing)|form(?:s|ed|ing)?|creat(?:e|es|ed|ing)|set(?:s|ting)?\s+up|establish(?:es|ed|ing)?"
        r"|spun\s+(?:out|off)|spin(?:s|ning)?\s+(?:out|off)|split(?:s|ting)?|dissolv(?:e|es|ed|ing)|disband(?:s|ed|ing)?|assembl(?:e|es|ed|ing)",
        "organisation",
    ),
    "build": (
        r"build(?:s|ing)?|built|construct(?:s|ed|ing)?|break(?:s|ing)?\s+ground|broke\s+ground|open(?:s|ed|ing)|expand(?:s|ed|ing)?|power(?:s|ed|ing)?\s+up|switch(?:ed|es)\s+on",
        "infrastructure",
    ),
    "event": (
        r"host(?:s|ed|ing)?|hold(?:s|ing)?|held|attend(?:s|ed|ing)?|participat(?:e|es|ed|ing|ion)|speak(?:s|ing)?\s+at|spoke\s+at"
        r"|orchestrat(?:e|es|ed|ing)|organi[sz](?:e|es|ed|ing)|convene(?:s|d)?|keynote",
        "event",
    ),
}
TRIGGER_RE = regex.compile(
    "|".join(rf"(?P<{name}>(?<!\w)(?:{pat})(?!\w))" for name, (pat, _) in TRIGGERS.items()),
    regex.IGNORECASE,
)

HEAD_NOUNS: dict[str, str] = {
    # head noun (regex) -> category
    r"(?:large\s+)?language\s+models?|LLMs?|(?:AI\s+|foundation\s+|frontier\s+|reasoning\s+|open[\s\-]source\s+|open[\s\-]weights?\s+)?models?|model\s+family|model\s+series": "model",
    r"chatbots?|assistants?|apps?|applications?|glasses|headsets?|devices?|features?|agents?|tools?|platforms?|services?|APIs?|products?|personas|characters|subscriptions?|browser|search\s+engine|copilot": "product",
    r"teams?|labs?|laborator(?:y|ies)|units?|divisions?|groups?|organi[sz]ations?|departments?|reorgani[sz]ations?|restructuring|merger|(?:research\s+)?efforts|research\s+arms?|subsidiar(?:y|ies)": "organisation",
    r"investments?|stakes?|acquisitions?|funding\s+rounds?|rounds?|deals?|partnerships?": "investment",
    r"data\s*cent(?:er|re)s?|campus(?:es)?|clusters?|supercomputers?|(?:compute|computing|AI)\s+infrastructure|infrastructure|facilit(?:y|ies)|superclusters?|server\s+farms?|fabs?": "infrastructure",
    r"summits?|conferences?|keynotes?|hearings?|events?|forums?|hackathons?|showcases?|developer\s+days?|expo": "event",
}
HEAD_RE = regex.compile(
    "|".join(f"(?P<h{i}>(?<![\\w\\-])(?:{pat})(?![\\w\\-]))" for i, pat in enumerate(HEAD_NOUNS)),
    regex.IGNORECASE,
)
HEAD_CATEGORIES = list(HEAD_NOUNS.values())

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
PUFFERY = r"""(?:a|an|the|its|their|his|her|our|this|that|these|new|brand-new|all-new|groundbreaking|revolutionary|next-gen|next-generation
  |latest|upcoming|forthcoming|first|massive|ambitious|major|fresh|powerful|advanced|multi-faceted|high-profile|dedicated
  |secretive|secret|flagship|long-awaited|much-anticipated|highly\s+anticipated|anticipated|cutting-edge|state-of-the-art|two|three|several
  |significant|substantial|huge|giant|big|bold|landmark|expansive|early|initial|closer|together|distinct|own|further|more|additional
  |substantial|robust|high-end|top-tier|world-class|elite|small|smaller|larger|bigger|next|so-called|rumored|reported|potential|possible)"""
PUFFERY_RE = regex.compile(rf"^(?:{PUFFERY}[\s,]+)+", regex.IGNORECASE | regex.VERBOSE)
REGION_STOP_RE = regex.compile(
    r"[;:]|\s[—–]\s|,\s+(?:which|who|while|but|and\s+(?:is|has|will|it|the))\b|\s+(?:which|that|because|although|while|whereas)\s",
    regex.IGNORECASE,
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
    for s in ctx.sentences:
        if _is_heading(s.text):
            continue
        for t in TRIGGER_RE.finditer(ctx.text, s.start, s.end):
            fact = _fact_for_trigger(ctx, s, t)
            if fact is not None:
                facts.append(fact)
    return facts


def _is_heading(sentence: str) -> bool:
    """A short title-case line with no final punctuation is a heading, not a statement."""
    words = sentence.split()
    if sentence.rstrip()[-1:] in ".!?\"”'’" or len(words) > 12:
        return False
    capitals = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return capitals >= 0.6 * len(words)


def _region(ctx: Context, s: Sentence, t: regex.Match) -> tuple[int, int]:
    end = min(s.end, t.end() + MAX_REGION)
    stop = REGION_STOP_RE.search(ctx.text, t.end(), end)
    return t.end(), stop.start() if stop else end


def _fact_for_trigger(ctx: Context, s: Sentence, t: regex.Match) -> Fact | None:
    kind = t.lastgroup
    text = ctx.text
    start, end = _region(ctx, s, t)
    subject, category = None, None
    if kind == "invest":
        subject, category = _investment_subject(ctx, s, t, start, end)
    elif kind == "organise":
        m = UNITS_RE.search(text, start, end)
        if m and not any(w in NOT_SUBJECTS for w in m.group("name").split()):
            subject, category = m.group("name"), "organisation"
    if subject is None:
        subject, category = _named_subject(ctx, s, t, start, end)
    if subject is None:
        subject, category = _noun_subject(
            text, start, _name_window_end(text, start, end, NOUN_WINDOW_WORDS)
        )
        if category is not None and not _fits(kind, category):
            return None
        if subject is not None and subject.lower() in GENERIC_HEADS:
            return None
    if subject is None:
        return None
    category = category or TRIGGERS[kind][1]
    if kind == "train":
        category = "model"
    date = ctx.nearest_date(s, t.start(), reach=DATE_REACH)
    return Fact(
        source=ctx.source,
        kind="announcement",
        quote=s.text,
        start=s.start,
        end=s.end,
        org=pick_org(ctx, s, t.start(), exclude_vendors=False),
        date=date.date if date else None,
        date_precision=date.precision if date else None,
        date_phrase=date.phrase if date else None,
        subject=subject,
        category=category,
    )


# Which head-noun categories a trigger may introduce: "opened a data center" yes, "opened a chatbot" no.
TRIGGER_FITS = {
    "release": {"model", "product", "infrastructure", "organisation", "event"},
    "train": {"model"},
    "invest": {"investment", "infrastructure"},
    "organise": {"organisation"},
    "build": {"infrastructure"},
    "event": {"event"},
}


def _fits(kind: str, category: str) -> bool:
    return category in TRIGGER_FITS[kind]


def _named_subject(
    ctx: Context, s: Sentence, t: regex.Match, start: int, end: int
) -> tuple[str | None, str | None]:
    """A name for the thing: "called X" after the trigger, or a quoted or product-like name
    at the head of the object (its first few words, before any comma)."""
    text = ctx.text
    name_end = _name_window_end(text, start, end)
    for m in (CALLED_RE.search(text, start, end), QUOTED_RE.search(text, start, end)):
        if m and m.group("name").split()[0] not in NOT_SUBJECTS:
            name = m.group("name").strip().rstrip(".,")
            return name, _category_of(name, text[start:end])
    if t.lastgroup in ("organise",):
        return None, None
    blocked = [(p.start, p.end) for p in ctx.people(s)] + [
        (c.start, c.end) for c in find_chips(text, start, name_end)
    ]
    for m in NAME_RE.finditer(text, start, name_end):
        if any(m.start() < e and b < m.end() for b, e in blocked):
            continue
        name = _strip_leading_org(m.group("name").strip().rstrip(".,"))
        if not name or name in NOT_SUBJECTS or name.split()[0] in NOT_SUBJECTS:
            continue
        if canonical_org(name) is not None or not _looks_like_product(name):
            continue
        return name, _category_of(name, text[m.end() : end])
    return None, None


def _name_window_end(text: str, start: int, end: int, words: int = NAME_WINDOW_WORDS) -> int:
    """End of the object's head: its first few words, before any comma."""
    m = regex.match(rf"(?:\s*[^\s,]+){{1,{words}}}", text[start:end])
    return start + m.end() if m else end


def _strip_leading_org(name: str) -> str:
    """ "Google Gemini" -> "Gemini"; an organisation alone is not a product."""
    for o in find_orgs(name):
        if o.start == 0 and o.end < len(name):
            return name[o.end :].strip()
    return name


def _looks_like_product(name: str) -> bool:
    return (
        bool(
            regex.match(MODEL_FAMILIES, name)
            or regex.search(r"\d", name)
            or regex.search(r"\p{Ll}\p{Lu}", name)
        )
        or len(name.split()) >= 2
        and not find_orgs(name)
    )


def _category_of(name: str, following: str) -> str | None:
    if regex.match(MODEL_FAMILIES, name) or regex.search(
        r"[\s\-]\d|\d[\s\-]?(?:mini|pro|turbo)|[A-Za-z]-?\d", name
    ):
        return "model"
    head = HEAD_RE.search(following[:40]) or HEAD_RE.search(name)
    if head:
        return HEAD_CATEGORIES[int(head.lastgroup[1:])]
    return None


def _noun_subject(text: str, start: int, end: int) -> tuple[str | None, str | None]:
    """A noun phrase ending in a known head noun, with articles and puffery trimmed."""
    head = HEAD_RE.search(text, start, end)
    if head is None:
        return None, None
    # Take up to four modifier words before the head, within the region.
    left = regex.search(r"(?:[\w\-\"“”'’]+\s+){0,4}$", text[start : head.start()])
    phrase = (left.group() if left else "") + head.group()
    phrase = regex.sub(r"[\"“”]", "", phrase)
    phrase = regex.sub(r"^.*\b(?:of|in|for|with|to|on|at|by|from|into)\s+", "", phrase)
    phrase = regex.sub(r"^(?:\p{Lu}[\w.]*(?:['’]s)\s+)", "", phrase)  # "Meta's research team"
    phrase = PUFFERY_RE.sub("", phrase).strip(" ,")
    if not phrase:
        return None, None
    return phrase, HEAD_CATEGORIES[int(head.lastgroup[1:])]


def _investment_subject(
    ctx: Context, s: Sentence, t: regex.Match, start: int, end: int
) -> tuple[str | None, str | None]:
    """ "invest $2 billion in Scale AI" -> "Scale AI investment"; "acquired Windsurf" -> "Windsurf acquisition"."""
    text = ctx.text
    word = t.group().lower()
    acquisition = word.startswith(("acqui", "bought", "buy"))
    if acquisition:
        target = _org_name_at(
            ctx, s, start, end, lead=r"\s+(?:the\s+)?(?:startup\s+|AI\s+startup\s+|company\s+)?"
        )
        return (f"{target} acquisition", "investment") if target else (None, None)
    m = regex.search(
        r"\bin\s+(?:the\s+)?(?:AI\s+(?:data\s+)?(?:company|startup|lab)\s+|startup\s+|rival\s+)?",
        text[start:end],
    )
    if word.startswith(("invest", "stake", "back", "pour", "commit", "fund")) and m:
        target = _org_name_at(ctx, s, start + m.end(), end, lead="")
        if target:
            return f"{target} investment", "investment"
    if word.startswith(("rais", "fund")):
        if regex.search(r"(?:\$|€|£)\s?\d|\bfunding\b|\bround\b", text[start:end]):
            return "funding round", "investment"
    return None, None


def _org_name_at(ctx: Context, s: Sentence, start: int, end: int, lead: str) -> str | None:
    text = ctx.text
    m = regex.match(lead, text[start:end]) if lead else None
    pos = start + (m.end() if m else 0)
    for o in ctx.orgs(s):
        if o.start == pos:
            return o.surface if o.surface.lower() not in ("facebook",) else o.name
    unknown = regex.match(
        rf"(?P<org>{NAME_TOKEN}(?:\s+(?:&\s+)?(?:{NAME_TOKEN}|AI|Labs?))*)", text[pos:end]
    )
    if unknown and unknown.group("org").split()[0] not in NOT_SUBJECTS:
        return unknown.group("org")
    return None
