"""Hire facts: a named person moves to an organisation (and from one, when stated).

Three sentence shapes carry nearly every move in tech news, each keyed on a trigger verb:
- JOIN: the person is the subject, the destination follows ("X has joined Meta from OpenAI").
- HIRE: the destination is the subject, people follow ("Meta recruited A, B and C from OpenAI");
  the passive puts people first ("X was poached by Meta").
- LEAVE: the origin follows the verb, the destination after "to join"/"for" ("X left Apple for Meta").
"""

from __future__ import annotations

import re
from functools import cache

import regex

from etl.dates import DateRef
from etl.entities import NAME_TOKEN, Mention, canonical_org, resolve_org_name
from etl.extract.common import COMPANY_REF_RE, COMPARISON_RE, is_heading
from etl.extract.context import Context
from etl.model import Fact
from etl.text import PrefilteredPattern, Sentence, by_first_character, leading_words

JOIN_VERBS = r"""(?:re)?join(?:s|ed|ing)?|(?:is|are|was|were)\s+joining|mov(?:ed|es|ing)\s+(?:over\s+)?to|defect(?:ed|s|ing)?\s+to
  |jump(?:ed|s|ing)?\s+(?:ship\s+)?to|switch(?:ed|es|ing)?\s+to|head(?:ed|s|ing)?\s+(?:over\s+)?to|return(?:ed|s|ing)?\s+to
  |(?:his|her|their)\s+(?:move|switch|jump)\s+to|(?:co-?)?found(?:ed|s|ing)|(?:went|goes|go|going)\s+on\s+to\s+(?:co-?)?found
  |bec(?:ame|omes|oming)\s+(?:the\s+|a\s+|an\s+)?(?:[\w\-]+\s+){0,5}?(?:of|at)
  |(?:is|was|are|were)\s+(?:launching|starting)|(?:launch|start)(?:ed|s)\s+(?=(?:the\s+)?\p{Lu}[\w.\-]*(?:\s+\p{Lu}[\w.\-]*)*\s+(?:Inc|AI|Labs?|Technologies|together|with|alongside)\b)
  |(?:will|to|is\s+set\s+to)\s+(?:head|lead|run|oversee)\s+(?:\S+\s+){0,5}?at|sign(?:ed|s|ing)?\s+on\s+(?:with|at)|decamp(?:ed|s)?\s+to|(?:came|comes|coming)\s+(?:aboard|on\s+board)\s+at"""
HIRE_VERBS = r"""hired|hires|hiring|has\s+hired|poach(?:ed|es|ing)|recruit(?:ed|s|ing)|lur(?:ed|es|ing)(?:\s+away)?|snag(?:ged|s)
  |nab(?:bed|s)|tapp(?:ed)|taps|appoint(?:ed|s)|nam(?:ed|es)|brought\s+(?:on|in|aboard)|brings\s+(?:on|in|aboard)
  |pick(?:ed|s)\s+up|acqui-hired|scoop(?:ed|s)\s+up|land(?:ed|s)|enlist(?:ed|s)|onboard(?:ed|s)|add(?:ed|s)\s+(?=\p{Lu})
  |(?:recruits|hires|additions|new\s+faces)\s+(?:include|included|including|are|were)|welcom(?:ed|es)|secured\s+the\s+services\s+of|rop(?:ed|es|ing)\s+in|snap(?:ped|s)\s+up|sign(?:ed|s)\s+(?=\p{Lu})|(?:has\s+|have\s+|had\s+)?(?:drawn|drew|draws|attract(?:ed|s)|add(?:ed|s)\s+talent)"""
LEAVE_VERBS = r"""left|leaves|leaving|is\s+leaving|depart(?:ed|s|ing)|quit(?:s)?|exit(?:ed|s|ing)|resign(?:ed|s)\s+from
  |step(?:ped|s)\s+down\s+from|walk(?:ed|s)\s+away\s+from|is\s+departing"""
PASSIVE = r"(?:was|were|has\s+been|have\s+been|had\s+been|is\s+being|been)"
# "MSL will be led by X": the organisation before, the people after. "Wang is joined by X":
# X joins the organisation the person before belongs to.
LED_BY = r"""(?:will\s+be|is|are|was|were|to\s+be|has\s+been|would\s+be)\s+(?:now\s+)?(?:led|headed|run|co-led|helmed|(?:co-?)?founded|started|launched|created)\s+by"""
JOINED_BY = (
    r"""(?:is|are|was|were|will\s+be|has\s+been|have\s+been)\s+(?:now\s+|also\s+)?joined\s+by"""
)
# \b first: every trigger starts with a letter, so it changes nothing but lets `regex` reject
# most positions faster than with the lookbehind alone.
TRIGGER_RE = regex.compile(
    rf"\b(?<![\w\-])(?:(?P<ledby>{LED_BY})|(?P<joinedby>{JOINED_BY})|(?P<passive>{PASSIVE}\s+(?:\w+ly\s+)?)?(?P<hire>{HIRE_VERBS})|(?P<join>{JOIN_VERBS})|(?P<leave>{LEAVE_VERBS}))(?!\w)",
    regex.IGNORECASE | regex.VERBOSE,
)
# Where a trigger can start, for a fast scan of the case-folded text (see PrefilteredPattern):
# the first word of a passive or of a verb, after a character that folds to no word character.
_FIRST_WORDS = [
    leading_words(p) for p in (LED_BY, JOINED_BY, PASSIVE, HIRE_VERBS, JOIN_VERBS, LEAVE_VERBS)
]
assert all(_FIRST_WORDS), "every verb must start with a word that leading_words can read"
TRIGGER_SCAN = PrefilteredPattern(
    TRIGGER_RE,
    re.compile(
        r"(?<![a-z0-9_\-])(?:" + by_first_character(sorted(set().union(*_FIRST_WORDS))) + ")"
    ),
)
# A move that has not happened and is not announced: talks, refusals, attempts. Right to left
# ((?r)): the match must end the text before the trigger; only whether there is one is used.
HEDGE_RE = regex.compile(
    r"(?r)(?:talks|declin\w*|refus\w*|turn\w*\s+down|reject\w*|rumou?r\w*|consider\w*|could|might|may|would|offer\w*|tr(?:y|ied|ying)|attempt\w*|lobby\w*|convinc\w*|persuad\w*|urg\w*|invit\w*|court\w*|not|never|n't|denied|wants?|hop\w*|fail\w*|whether|if)\s+(?:\S+\s+){0,4}$",
    regex.IGNORECASE,
)
ROLE_NOUNS = r"""researchers?|scientists?|engineers?|head|director|lead|leader|chief|president|officer|executive|founder|co-?founder
  |manager|vp|vice\s+president|fellow|architect|professor|author|creator|inventor|designer|developer|expert|specialist
  |partner|ceo|cto|cfo|coo|cso|chair(?:man|woman)?|advisor|adviser|veteran|alumn(?:us|a|i)|staffer|technologist|pioneer
  |scientist|investigator|member|contributor|analyst|strategist|programmer|evangelist"""
ROLE_NOUN_RE = regex.compile(rf"(?<!\w)(?:{ROLE_NOUNS})(?!\w)", regex.IGNORECASE | regex.VERBOSE)
# Words describing a person that are not part of their role.
PUFFERY_RE = regex.compile(
    r"^(?:(?:a|an|the|its|their|his|her|our|one\s+of\s+the|notable|prominent|renowned|famed|famous|top|leading|well-known|star|respected|celebrated|veteran|longtime|long-time|highly\s+regarded|key|influential|former|ex-)\s+)+",
    regex.IGNORECASE,
)
FROM_CUES = r"""(?:from|(?:co-?founders?|founders?|ceos?|chief\s+executives?|ctos?|heads?|leads?|co-leads?|leaders?|presidents?|directors?)\s+(?:of|at)
  |formerly\s+(?:of|at|with)|previously\s+(?:of|at|with)|away\s+from|(?:left|leaving|leaves|quit|departed|departing|exited|exits)
  |ex-|former|(?:had\s+)?(?:worked|working|work|employed|served|serving)\s+(?:\w+\s+)?(?:at|in|for|with|by)|years\s+at|stint\s+at|tenure\s+at
  |spent\s+\S+\s+years\s+at|poached\s+from|hired\s+from|of\s+rival|from\s+rival|behind|after\s+(?:leading|running|heading|co-founding|founding)
  |previously\s+(?:led|ran|headed|co-founded|founded)|(?:co-)?founded)"""
# Both end the text before an organisation and only whether they match is used: right to left.
FROM_CUE_RE = regex.compile(
    rf"(?r)(?<!\w)(?:{FROM_CUES})\s+(?:the\s+)?(?:\w+\s+)?$", regex.IGNORECASE | regex.VERBOSE
)
FROM_CUE_TIGHT_RE = regex.compile(
    rf"(?r)(?<!\w)(?:{FROM_CUES})\s*(?:rival\s+)?$", regex.IGNORECASE | regex.VERBOSE
)
# "has joined the company": the destination is the article's main organisation.
DESTINATION_REF_RE = regex.compile(
    r"\s+(?:the|this)\s+(?:company|firm|startup|lab|group|team)\b", regex.IGNORECASE
)
UNKNOWN_ORG_RE = regex.compile(
    rf"\s+(?:the\s+)?(?P<org>{NAME_TOKEN}(?:\s+(?:{NAME_TOKEN}|AI|Labs?|Inc\.?|Corp\.?|Research|Intelligence|Systems))*|\p{{Lu}}[\w.]*\p{{Lu}}[\w.]*)"
)
ORG_LEAD_RE = regex.compile(r"\s*(?:the\s+|rival\s+|AI\s+lab\s+|startup\s+)?", regex.IGNORECASE)
RIVAL_RE = regex.compile(
    r"(?:['’]s)?\s+(?:\w+\s+)?(?:rival|competitor|challenger|peer|spin-?off|offshoot)s?\s+(?:startup\s+|lab\s+)?",
    regex.IGNORECASE,
)
THE_RE = regex.compile(r"(?i)the\b")
SENTENCE_STOP_RE = regex.compile(r"[.;]")
ORG_OF_PERSON_RE = regex.compile(
    r"(?:['’]s)?(?:\s+(?:[a-z][\w\-]*|CEO|CTO|CFO|COO|CSO|VP|SVP|EVP))(?:\s+[a-z][\w\-]*){0,3},?\s+"
)
AS_ROLE_RE = regex.compile(
    r"\bas\s+(?:its\s+|the\s+|a\s+|an\s+|their\s+|our\s+|his\s+|her\s+)?(?:new\s+)?(?P<role>[^,.;()]{2,70}?)(?=\s*(?:[,.;()]|$|\s+(?:from|after|where|in\s+a|in\s+an|and\s+will|who|effective|starting|beginning|following|to\s+\w+|on\s+\w+day)\b))"
)
TO_LEAD_RE = regex.compile(
    r"\b(?:to|will)\s+(?P<role>(?:lead|head|run|oversee|co-lead|direct|manage|build)\s+[^,.;()]{3,60}?)(?=\s*(?:[,.;()]|$|\s+(?:from|after|where|who|at|and\s+will)\b))"
)
APPOSITIVE_ROLE_RE = regex.compile(r",\s+(?P<role>[^,;()]{3,100}?)\s*(?:,|\))")
# A title right before a name. It ends with a role noun: ROLE_AT_END_RE tests that first, right
# to left ((?r)) as the match must end the text, before the costlier search.
ROLE_AT_END_RE = regex.compile(rf"(?r)(?:{ROLE_NOUNS})\s+$", regex.VERBOSE)
TITLE_BEFORE_RE = regex.compile(
    rf"(?<![\w\-'’])(?P<role>(?:[a-z][\w\-]*\s+){{0,3}}(?:{ROLE_NOUNS}))\s+$", regex.VERBOSE
)
LIST_INTRO_RE = regex.compile(r"(?:namely|including|:)\s*$")
COUNTED_ROLE_RE = regex.compile(
    rf"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several|a\s+few|a\s+group\s+of|a\s+trio\s+of|a\s+pair\s+of)\s+(?P<role>(?:[a-z][\w\-]*\s+){{0,3}}(?:{ROLE_NOUNS}))",
    regex.VERBOSE,
)
ORG_BEFORE_ROLE_RE = regex.compile(r"^(?:\p{Lu}[\w.]*\s+)?(?=[a-z])")
PLURAL_ROLE_RE = regex.compile(
    r"(researcher|scientist|engineer|executive|leader|founder|developer|expert)s$"
)
POSSESSOR_RE = regex.compile(r"['’]s\s+\p{Ll}")
AGENT_BEFORE_RE = regex.compile(
    r"\b(?:led|founded|co-?founded|run|headed|helmed|backed|owned|chaired)\s+by\s+$",
    regex.IGNORECASE,
)
LIST_GAP_RE = regex.compile(
    rf"^(?:\s*\([^)]{{0,80}}\))?(?:,[^;.]{{0,160}};\s*(?:and\s+)?|(?:,[^,;.]{{0,90}}|\s+from\s+\p{{Lu}}[\w.\-]*(?:\s+\p{{Lu}}[\w.\-]*){{0,2}})?(?:,\s*|,?\s+and\s+|,?\s+as\s+well\s+as\s+|\s*&\s*)(?:(?:former|ex-)\s*(?:[\p{{Lu}}][\w.\-]*\s+){{1,3}}(?:{ROLE_NOUNS})\s+|(?:[a-z][\w\-]*\s+){{0,4}}?(?:{ROLE_NOUNS})\s+)?)$",
    regex.VERBOSE,
)


def extract(ctx: Context) -> list[Fact]:
    facts: list[Fact] = []
    sentences = ctx.sentences
    for i, s in enumerate(sentences):
        if is_heading(s.text):
            continue
        if s.text.endswith(":"):
            facts.extend(_listed_hires(ctx, sentences, i))
        # People first: few sentences name one, and the trigger scan is the costlier test.
        people = _with_pronoun_subject(ctx, sentences, i, ctx.people(s))
        if not people:
            _remember_unnamed_hires(ctx, s, i)
            continue
        if _pending(ctx, i):
            facts.extend(_named_later(ctx, s, people))
        found = len(facts)
        for t in TRIGGER_SCAN.finditer(ctx.text, ctx.folded, s.start, s.end):
            facts.extend(_facts_for_trigger(ctx, s, t, people))
        facts.extend(_past_role_facts(ctx, s, people))
        if len(facts) == found:  # names, but none that moved: "the startup led by X"
            _remember_unnamed_hires(ctx, s, i)
    _fill_origins(ctx, facts)
    return facts


# "Meta hired four more OpenAI researchers. ... identified those four as A, B, C and D": a
# hire counted without names, named in a following sentence.
COUNTED_HIRES_RE = regex.compile(
    rf"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+dozen|more\s+than\s+a\s+dozen|several|multiple|dozens\s+of)\s+(?:more\s+)?(?:[\w\-]+\s+){{0,4}}?(?:{ROLE_NOUNS})s?\b",
    regex.IGNORECASE | regex.VERBOSE,
)
COUNTED_LEAD_RE = regex.compile(
    r"\s*(?:the\s+|another\s+|at\s+least\s+|some\s+)?", regex.IGNORECASE
)
NAMED_LATER_RE = regex.compile(
    r"\b(?:(?:the|these|those)\s+(?:moves|departures|hires|recruits|exits|defections)\s+(?:involve|involved|include|included|are|were)|(?:those|these|the)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten|trio|pair|duo|hires|recruits)\s+(?:as|were|are|include|included|:)|the\s+list\s+(?:features|includes|included)|(?:they|those\s+hired|the\s+hires)\s+(?:are|were|include|included))\b",
    regex.IGNORECASE,
)


PRONOUN_SUBJECT_RE = regex.compile(r"(?:He|She)\s+(?!said|says|told|added|noted|wrote)")


def _with_pronoun_subject(
    ctx: Context, sentences: list[Sentence], i: int, people: list[Mention]
) -> list[Mention]:
    """ "Goodfellow earned his degrees at Stanford. He joined Google in 2013, ...": a sentence
    whose subject is He or She stands for the one person the sentence before names."""
    s = sentences[i]
    m = PRONOUN_SUBJECT_RE.match(ctx.text, s.start, s.end)
    if m is None or i == 0:
        return people
    named = {p.name for p in ctx.people(sentences[i - 1])}
    if len(named) != 1:
        return people
    pronoun = Mention(
        m.start(), m.start() + m.group().index(" "), named.pop(), m.group().split()[0]
    )
    return [pronoun, *people]


def _is_passive(t: regex.Match) -> bool:
    """ "X was poached by Meta", but not the progressive "Meta was hiring X"."""
    return bool(t.group("passive")) and not t.group("hire").lower().endswith("ing")


def _remember_unnamed_hires(ctx: Context, s: Sentence, i: int) -> None:
    """A hire trigger with a counted group and no names: wait for the names."""
    text = ctx.text
    for t in TRIGGER_SCAN.finditer(text, ctx.folded, s.start, s.end):
        if _hedged(ctx, s, t):
            continue
        if t.group("join") and not FOUNDING_RE.match(t.group()):
            # "Three top executives at X ... left the company and joined OpenAI."
            group = COUNTED_HIRES_RE.match(text, COUNTED_LEAD_RE.match(text, s.start).end(), s.end)
            to_org = _org_after(ctx, s, t.end(), strict_unknown_ok=False)
            if group is None or group.end() > t.start():
                continue
        elif not t.group("hire") or _is_passive(t):
            continue
        else:
            group = COUNTED_HIRES_RE.match(text, t.end() + 1, s.end)
            to_org = _org_before(ctx, s, t.start())
        if group and to_org:
            # "four more OpenAI researchers": the organisation inside the group is its origin.
            # "Three top executives at Thinking Machines Lab ... joined OpenAI": after the group.
            inside = [m for m in ctx.orgs(s) if group.start() <= m.start < group.end()]
            at = _org_after(ctx, s, group.end(), lead=r"\s+(?:at|of|from)\s+")
            origin = (
                inside[0].name if inside else at if at not in (None, to_org) else None
            ) or _from_org(ctx, s, to_org, [])
            ctx._cache["unnamed_hires"] = (i, to_org, origin)
            return


def _pending(ctx: Context, i: int) -> bool:
    pending = ctx._cache.get("unnamed_hires")
    return pending is not None and i - pending[0] <= 2


def _named_later(ctx: Context, s: Sentence, people: list[Mention]) -> list[Fact]:
    _, to_org, origin = ctx._cache["unnamed_hires"]
    text = ctx.text
    cue = NAMED_LATER_RE.search(text, s.start, s.end)
    if cue is None:
        return []
    persons = _list_after(text, people, cue.end(), s.end)
    # "two of Apple's scientists, A and B": the title before the list is each one's.
    first = _origin_of(ctx, s, persons[0], to_org, people) if persons else None
    facts = []
    for p in persons:
        from_org = _origin_of(ctx, s, p, to_org, people) or first or origin
        facts.append(_hire(ctx, s, None, p.name, from_org, to_org, "named_later"))
    return facts


def _hire(
    ctx: Context,
    s: Sentence,
    date: DateRef | None,
    person: str,
    from_org: str | None,
    to_org: str,
    rule: str,
    role: str | None = None,
) -> Fact:
    """A hire fact; an origin equal to the destination is no origin."""
    return ctx.fact(
        s, "hire", date, rule=rule, org=to_org, person=person,
        from_org=from_org if from_org != to_org else None, to_org=to_org, role=role,
    )  # fmt: skip


# "The new team includes:" / "Meta has recruited eleven experts, including:" then one person a
# line ("Name, co-lead of X at OpenAI"): each is a hire to the organisation the intro names.
TEAM_INTRO_RE = regex.compile(
    r"(?<!\w)(?:team|hires|recruits|additions|members|lineup|roster|new\s+faces|talent|staff|researchers|experts)(?!\w)[^:]{0,80}:$",
    regex.IGNORECASE,
)
DEPARTURE_NOUN_RE = regex.compile(
    r"(?i)\b(?:departures?|exits?|exodus|left|leaving|departed|lost|losing|quit)\b"
)
LIST_ITEM_LEAD_RE = regex.compile(r"[\s\-–—•*·▪●]*")
LIST_ITEM_AFTER_RE = regex.compile(r"\s*(?:[,:(–—\-]|$)")


def _listed_hires(ctx: Context, sentences: list[Sentence], i: int) -> list[Fact]:
    """Hires listed one person a line under an introducing sentence that ends with a colon."""
    text = ctx.text
    intro = sentences[i]
    trigger = next(iter(TRIGGER_SCAN.finditer(text, ctx.folded, intro.start, intro.end)), None)
    if trigger is None and not TEAM_INTRO_RE.search(intro.text):
        return []
    if (trigger is not None and trigger.group("leave")) or DEPARTURE_NOUN_RE.search(intro.text):
        # "Several leaders departed, including:" lists who left, not where to; an item that
        # says where ("X, who later joined Meta") moved from the organisation they left.
        left = (
            _org_before(ctx, intro, trigger.start() if trigger else intro.end)
            or _org_just_before(ctx, intro.start)
            or ctx.main_org
        )
        if left:
            for _, first, _ in _list_items(ctx, sentences, i):
                ctx._cache.setdefault("departed_from", {})[first.name] = left
        return []
    if trigger is not None and _hedged(ctx, intro, trigger):
        return []
    pos = trigger.start() if trigger is not None else intro.end
    to_org = _org_before(ctx, intro, pos) or ctx.main_org
    if to_org is None:
        return []
    shared = _from_org(ctx, intro, to_org, [])
    facts = []
    for item, first, people in _list_items(ctx, sentences, i):
        if next(iter(TRIGGER_SCAN.finditer(text, ctx.folded, first.end, item.end)), None):
            continue  # "- X, who later joined Meta": the item's own verb says where
        from_org = _origin_of(ctx, item, first, to_org, people) or shared
        facts.append(_hire(ctx, item, None, first.name, from_org, to_org, "list"))
    return facts


def _list_items(ctx: Context, sentences: list[Sentence], i: int):
    """(line, its person, its people) for each line after sentences[i] that opens with a
    person's name, a bullet allowed ("- Name, what they did"); the list ends at the first
    line that does not."""
    text = ctx.text
    for item in sentences[i + 1 : i + 40]:
        lead = LIST_ITEM_LEAD_RE.match(text, item.start, item.end)
        people = ctx.people(item)
        first = people[0] if people else None
        if (
            first is None
            or first.start != lead.end()
            or not LIST_ITEM_AFTER_RE.match(text, first.end, item.end)
        ):
            return
        yield item, first, people


def _hedged(ctx: Context, s: Sentence, t: regex.Match) -> bool:
    """Whether the words before a trigger make the move a talk, an offer or a refusal."""
    return HEDGE_RE.search(ctx.text[max(s.start, t.start() - 60) : t.start()]) is not None


def _org_just_before(ctx: Context, pos: int, reach: int = 400) -> str | None:
    """The organisation the text named last before `pos`, if within `reach` characters."""
    before = [m for m in ctx.org_index.mentions if pos - reach <= m.end <= pos]
    return before[-1].name if before else None


def _fill_origins(ctx: Context, facts: list[Fact]) -> None:
    """A hire without a stated origin takes the one another sentence gives the person
    ("Zhao joined Meta in June" after "Zhao, who helped create ChatGPT at OpenAI, ...")."""
    missing = {f.person for f in facts if f.from_org is None}
    if not missing:
        return
    origins: dict[str, str] = dict(ctx._cache.get("departed_from", {}))
    for s in ctx.sentences:
        for p in ctx.people(s):
            if p.name not in missing or p.name in origins:
                continue
            destinations = {f.to_org for f in facts if f.person == p.name}
            origin = _origin_of(ctx, s, p, min(destinations), ctx.people(s))
            if origin and origin not in destinations:
                origins[p.name] = origin
    for f in facts:
        if f.from_org is None and f.person in origins:
            f.from_org = origins[f.person]
            f.extra["origin_from_other_sentence"] = True


# "Anthropic's CEO, Dario Amodei, was once the VP of research at OpenAI": someone who holds a
# role at one organisation and is said to have held one at another moved between them.
PAST_ROLE_RE = regex.compile(
    r"(?<!\w)(?:was\s+once|was\s+previously|was\s+formerly|previously\s+(?:served|worked|was)|formerly\s+(?:served|worked|was)|used\s+to\s+(?:be|work|lead|run)|had\s+(?:previously\s+)?(?:been|served|worked|spent))(?!\w)",
    regex.IGNORECASE,
)
# "ORG's CEO, PERSON," / "ORG CEO PERSON" right before the person: the current organisation.
CURRENT_ROLE_RE = regex.compile(
    r"(?r)(?:['’]s)?\s+(?:(?:new|current|chief|senior|top|head|co-?founder|founder|ceo|cto|president|vp|director|scientist|researcher|lead|leader|executive)[\s,]+){1,4}$",
    regex.IGNORECASE,
)
PAST_ORG_LEAD_RE = regex.compile(
    r"[^.;]{0,60}?\b(?:at|of|with|for)\s+(?:the\s+)?$", regex.IGNORECASE
)


def _past_role_facts(ctx: Context, s: Sentence, people: list[Mention]) -> list[Fact]:
    text = ctx.text
    cue = PAST_ROLE_RE.search(text, s.start, s.end)
    if cue is None:
        return []
    before = [p for p in people if p.end <= cue.start() and cue.start() - p.end <= 40]
    if not before:
        return []
    person = before[-1]
    orgs = ctx.orgs(s)
    current = [
        m
        for m in orgs
        if m.end <= person.start and CURRENT_ROLE_RE.search(text[m.end : person.start])
    ]
    past = [
        m
        for m in orgs
        if m.start >= cue.end() and PAST_ORG_LEAD_RE.fullmatch(text[cue.end() : m.start])
    ]
    if not current or not past or current[-1].name == past[0].name:
        return []
    return [_hire(ctx, s, None, person.name, past[0].name, current[-1].name, "past_role")]


def _facts_for_trigger(
    ctx: Context, s: Sentence, t: regex.Match, people: list[Mention]
) -> list[Fact]:
    text = ctx.text
    if _hedged(ctx, s, t):
        return []
    if t.group("ledby"):
        to_org = _org_before(ctx, s, t.start())
        persons = _list_after(text, people, t.end(), s.end)
    elif t.group("joinedby"):
        host = _list_before(text, people, t.start(), s.start)
        to_org = (
            (_destination_of(ctx, host[-1]) if host else None)
            or _org_before(ctx, s, t.start())
            or ctx._cache.get("last_destination")
            or ctx.main_org
        )
        persons = _list_after(text, people, t.end(), s.end)
    elif t.group("hire") and not _is_passive(t):
        persons = _list_after(text, people, t.end(), s.end)
        to_org = _org_before(ctx, s, t.start()) or (
            _org_after(ctx, s, persons[-1].end, lead=PURPOSE_LEAD) if persons else None
        )
    elif t.group("hire"):  # passive: "X was poached by Meta"
        to_org = _org_after(ctx, s, t.end(), lead=r"\s+(?:away\s+)?(?:\w+\s+){0,3}?by")
        persons = _list_before(text, people, t.start(), s.start)
    elif t.group("join"):
        # Only "join" and founding verbs name an employer the lexicon may not know.
        to_org = _org_after(ctx, s, t.end(), strict_unknown_ok=bool(OPEN_JOIN_RE.match(t.group())))
        persons = _list_before(text, people, t.start(), s.start)
        if not persons and not OBJECT_PERSON_RE.match(text, t.end(), s.end):
            # "Also joining Meta is X"; but in "employees will join Wang at Meta" Wang is the host.
            persons = _list_after(text, people, t.end(), s.end)
    else:  # leave: the destination comes after "to join", "for", "to"
        to_org = _org_after(
            ctx,
            s,
            t.end(),
            lead=r"(?:\s+(?:the\s+)?[^\s.;]+(?:\s+[^\s.;]+){0,4})??\s+(?:to\s+join|to\s+(?:co-?)?found|to\s+start|to\s+launch|to\s+set\s+up|for|to|joining)",
        )
        persons = _list_before(text, people, t.start(), s.start)
    if not to_org or not persons:
        return []
    shared_origin = _from_org(ctx, s, to_org, persons)
    verb = t.group("hire") or t.group("join") or ""
    departing = bool(t.group("leave")) or bool(DEPARTURE_VERB_RE.match(verb))
    if FOUNDING_RE.match(verb):
        # "is launching SSI together with Daniel Gross and Daniel Levy": co-founders too.
        partners = CO_FOUNDERS_RE.match(text, _after_org_end(ctx, s, t.end()), s.end)
        if partners:
            persons = persons + [
                p for p in _list_after(text, people, partners.end(), s.end) if p not in persons
            ]
    date = ctx.nearest_date(s, t.start())
    facts = []
    own = {p.name: _origin_of(ctx, s, p, to_org, people) for p in persons}
    only_last = [p.name for p in persons if own[p.name]] == [persons[-1].name]
    if len(persons) > 1 and any(own.values()):
        if not (only_last and own[persons[-1].name] == shared_origin):
            shared_origin = None  # each named their own origin; the rest stated none
    rule = "passive" if _is_passive(t) else next(g for g in RULE_GROUPS if t.group(g))
    for p in persons:
        from_org = own[p.name] or shared_origin
        inferred = False
        if from_org is None and departing and ctx.main_org not in (None, to_org):
            # "Two other researchers also jumped ship to Meta" in an article about Apple.
            from_org, inferred = ctx.main_org, True
        role = _role(text, s, p, persons, t)
        facts.append(_hire(ctx, s, date, p.name, from_org, to_org, rule, role))
        facts[-1].extra["origin_inferred"] = inferred
    ctx._cache.setdefault("destinations", {}).update({p.name: to_org for p in persons})
    ctx._cache["last_destination"] = to_org
    return facts


OBJECT_PERSON_RE = regex.compile(r"\s+\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+)?\s+(?:at|in)\b")


# Moves that say someone left somewhere: with no origin named, it is the article's organisation.
DEPARTURE_VERB_RE = regex.compile(
    r"(?i)(?:defect|jump|switch|decamp|lur|poach|left|leav|depart|quit|exit)"
)
# "... brought in X to lead Meta's superintelligence unit": the destination follows the person.
PURPOSE_LEAD = r"[^.;]{0,80}?\s+to\s+(?:lead|head|run|join|oversee|co-lead)"


OPEN_JOIN_RE = regex.compile(
    r"(?i)(?:re)?join|(?:co-?)?found|went|goes|go|bec|is|was|are|were|launch|start"
)
ORG_SUFFIX_RE = regex.compile(
    r"(?:AI|Labs?|Inc\.?|Corp\.?|Research|Technologies|Intelligence|Systems)$"
)


FOUNDING_RE = regex.compile(
    r"(?i)(?:co-?)?found|(?:is|was|are|were)\s+(?:launching|starting)|launch|start"
)
CO_FOUNDERS_RE = regex.compile(
    r"[^.;]{0,20}?\s+(?:together\s+with|along\s+with|alongside|with)\s+(?:co-?founders?\s+)?",
    regex.IGNORECASE,
)
NEW_VENTURE_RE = regex.compile(r"(?i)\s+the\s+(?:new\s+)?(?:startup|venture)\b")


def _after_org_end(ctx: Context, s: Sentence, pos: int) -> int:
    """End of the organisation named right after `pos`, or `pos`."""
    for m in ctx.orgs(s):
        if pos <= m.start <= pos + 12:
            return m.end
    return pos


RULE_GROUPS = ("ledby", "joinedby", "hire", "join", "leave")


def _destination_of(ctx: Context, p: Mention) -> str | None:
    """Where a person named earlier in the article was said to go."""
    return ctx._cache.get("destinations", {}).get(p.name)


# A title right before a name names the organisation it belongs to: "former Scale AI CEO X",
# "OpenAI's X", "Scale CEO X" (an unknown short name completed from the lexicon: Scale AI).
ORG_TITLE_BEFORE_RE = regex.compile(
    rf"(?r)(?:(?P<unknown>\p{{Lu}}[\w.\-]+)\s+)?(?:['’]s\s+)?(?:[\w\-]+\s+){{0,3}}?(?:{ROLE_NOUNS})\s+$",
    regex.IGNORECASE | regex.VERBOSE,
)
# After a name, up to the next clause: "X, the former CEO of data labeling startup Scale AI",
# "X, former GitHub CEO", "X, co-lead of the multimodal team at OpenAI", "X, who were all
# working in OpenAI's Zurich office", "X, previously CEO of SSI".
APPOSITION_END_RE = regex.compile(
    r"[;(]|\s[—–]\s|\.\s|\s+(?:and\s+)?(?:will|has|have|had|is|are|was|were|joins|joined|said|says)\b"
)
ORIGIN_CUE_AFTER_RE = regex.compile(
    rf"(?r)(?:former|formerly|ex-|previously|prior(?:ly)?|once|until\s+recently|(?:worked|working|work|employed|served|serving)(?:\s+\w+)?\s+(?:at|in|for|with)|(?:{ROLE_NOUNS})s?(?:\s+[\w\-]+){{0,4}}\s+(?:at|of|from)|after\s+(?:leading|running|heading|founding|co-founding|leaving)|left|from|(?:stepped|steps)\s+down\s+(?:as|from)|resigned\s+(?:as|from)|departed|quit|spen[dt]\s+(?:\S+\s+){{1,6}}?(?:at|with))\s+(?:the\s+)?(?:(?:[a-z][\w\-]*|AI)\s+){{0,4}}$",
    regex.IGNORECASE | regex.VERBOSE,
)


AT_ORG_LEAD_RE = regex.compile(
    r"(?:While\s+|When\s+|Back\s+)?(?:at|At)\s+(?P<org>\p{Lu}[\w.\-]*(?:\s+\p{Lu}[\w.\-]*)?),\s+"
)
# "X, former GitHub CEO": an organisation the lexicon does not know, named by a former title.
UNKNOWN_FORMER_RE = regex.compile(
    rf",\s+(?:the\s+|a\s+)?(?:former|ex-)\s*(?P<org>\p{{Lu}}[\w.\-]*(?:\s+\p{{Lu}}[\w.\-]*)?)\s+(?:{ROLE_NOUNS})\b",
    regex.VERBOSE,
)


FORMER_AT_RE = regex.compile(
    rf"(?r)(?:former|ex-)\s*(?:[\w\-]+\s+){{0,2}}(?:{ROLE_NOUNS})s?\s+(?:at|of|from)\s+$",
    regex.IGNORECASE | regex.VERBOSE,
)


FORMER_OF_ORG_RE = regex.compile(
    r",\s+(?:the\s+)?(?P<org>\p{Lu}[\w.\-]*(?:\s+\p{Lu}[\w.\-]*)?)['’]s\s+(?:former|ex-|one-time|onetime|erstwhile)"
)


# "hired Ruoming Pang, Apple's top executive in charge of ...": the post the mover held.
ROLE_OF_ORG_RE = regex.compile(
    rf",\s+(?:the\s+)?(?P<org>\p{{Lu}}[\w.\-]*(?:\s+\p{{Lu}}[\w.\-]*)?)['’]s\s+(?:[a-z][\w\-]*\s+){{0,3}}(?:{ROLE_NOUNS})\b",
    regex.VERBOSE,
)


def _origin_of(
    ctx: Context, s: Sentence, p: Mention, to_org: str, people: list[Mention]
) -> str | None:
    """The organisation a person comes from, as the words around their name say."""
    text = ctx.text
    orgs = [m for m in ctx.orgs(s) if m.name != to_org]
    # Before the name: "former Scale AI CEO Alexandr Wang", "OpenAI researcher X".
    before = [m for m in orgs if m.end <= p.start and p.start - m.end <= 45]
    if before:
        m = before[-1]
        between = text[m.end : p.start]
        if between in ("'s ", "’s ") or (
            ORG_OF_PERSON_RE.fullmatch(between) and ROLE_NOUN_RE.search(between)
        ):
            if not any(m.end <= q.start < p.start for q in people):
                return m.name
    adjacent = [m for m in before if text[m.end : p.start].strip() == ""]
    if adjacent and FORMER_AT_RE.search(
        text[max(s.start, adjacent[-1].start - 60) : adjacent[-1].start]
    ):
        return adjacent[-1].name  # "former researcher at DeepMind Arthur Mensch"
    title = ORG_TITLE_BEFORE_RE.search(text[max(s.start, p.start - 45) : p.start])
    if title and title.group("unknown"):
        name = resolve_org_name(title.group("unknown"))
        if name and name != to_org:
            return name
    # "At OpenAI, Zhao was ...": where the person worked, when it is not where they went.
    at = AT_ORG_LEAD_RE.match(text, s.start, p.start)
    if at and at.end() == p.start:
        known = [m for m in orgs if m.start == at.start("org")]
        if known:
            return known[0].name
    unknown = UNKNOWN_FORMER_RE.match(text, p.end, s.end)
    if unknown:
        name = resolve_org_name(unknown.group("org")) or unknown.group("org")
        if name != to_org and not any(q.start == p.end + unknown.start("org") for q in people):
            return name
    former = FORMER_OF_ORG_RE.match(text, p.end, s.end) or ROLE_OF_ORG_RE.match(text, p.end, s.end)
    if former:
        known = [m for m in orgs if m.start == former.start("org")]
        if known:
            # "Sutskever, OpenAI's former chief scientist"; "hired X, Apple's top AI executive"
            return known[0].name
    # After the name, in its apposition or relative clause.
    nxt = [q.start for q in people if q.start > p.end]
    end = min([s.end, p.end + 140, *nxt])
    stop = APPOSITION_END_RE.search(text, p.end, end)
    if stop and stop.start() > p.end:
        end = stop.start()
    for m in orgs:
        if p.end < m.start < end and ORIGIN_CUE_AFTER_RE.search(text[p.end : m.start]):
            return m.name
    return None


def _org_before(ctx: Context, s: Sentence, pos: int) -> str | None:
    orgs = [
        m
        for m in ctx.orgs(s)
        if m.end <= pos and not COMPARISON_RE.search(ctx.text[max(s.start, m.start - 40) : m.start])
    ]
    # "Meta has invested in Scale AI and appointed X": the hirer is the subject, not an
    # organisation inside a prepositional phrase.
    subjects = [
        m for m in orgs if not OBJECT_LEAD_RE.search(ctx.text, max(s.start, m.start - 50), m.start)
    ]
    if subjects:
        return subjects[-1].name
    if orgs:
        return orgs[-1].name
    if COMPANY_REF_RE.search(ctx.text, s.start, pos):
        return ctx.main_org
    # "Vela Labs has hired X": a company the lexicon does not know, as the subject.
    subject = UNKNOWN_SUBJECT_RE.fullmatch(ctx.text, s.start, pos)
    if subject and ORG_SUFFIX_RE.search(subject.group("org")):
        return subject.group("org")
    return None


UNKNOWN_SUBJECT_RE = regex.compile(
    r"\s*(?:The\s+)?(?P<org>\p{Lu}[\w\-]+(?:\s+\p{Lu}[\w\-]+){0,2})\s+(?:(?:has|have|had|also|recently|quietly|now|just)\s+)*"
)
OBJECT_LEAD_RE = regex.compile(
    r"(?:\b(?:in|into|at|from|of|with|for|on|by|to)\s+(?:the\s+)?(?:[\w\-]+\s+){0,3})$",
    regex.IGNORECASE,
)


def _org_after(
    ctx: Context, s: Sentence, pos: int, lead: str = "", strict_unknown_ok: bool = True
) -> str | None:
    """The organisation right after `pos` (after an optional `lead` pattern), known or not."""
    text = ctx.text
    start = pos
    if lead:
        m = _lead_re(lead).match(text[pos : s.end])
        if not m:
            return None
        start = pos + m.end()
    orgs = ctx.orgs(s)
    for i, m in enumerate(orgs):
        if start <= m.start <= start + 12 and ORG_LEAD_RE.fullmatch(text[start : m.start]):
            # "has joined OpenAI rival Anthropic": the organisation named is the rival.
            if i + 1 < len(orgs) and RIVAL_RE.fullmatch(text, m.end, orgs[i + 1].start):
                return orgs[i + 1].name
            return m.name
    if DESTINATION_REF_RE.match(text, start, s.end):
        # "joined the new startup": the one the article last said someone went to.
        if NEW_VENTURE_RE.match(text, start, s.end) and ctx._cache.get("last_destination"):
            return ctx._cache["last_destination"]
        return ctx.main_org
    unknown = UNKNOWN_ORG_RE.match(text, start, s.end)
    if unknown and not THE_RE.match(unknown.group("org")):
        name = unknown.group("org").strip()
        if any(p.start <= unknown.start("org") < p.end for p in ctx.people(s)):
            return None  # a person, not an organisation
        known = resolve_org_name(name)
        if known is None and not ORG_SUFFIX_RE.search(name) and not strict_unknown_ok:
            return None  # "moved to Canada": a place, not an employer
        return known or name
    return None


def _list_after(text: str, people: list[Mention], pos: int, end: int) -> list[Mention]:
    # "hired Friedman's longtime partner Daniel Gross": a possessor is not the one hired.
    after = [p for p in people if p.start >= pos and not POSSESSOR_RE.match(text, p.end)]
    if not after or after[0].start - pos > 140:
        return []
    gap = text[pos : after[0].start]
    if SENTENCE_STOP_RE.search(gap):
        return []
    out = [after[0]]
    for nxt in after[1:]:
        if not LIST_GAP_RE.match(text[out[-1].end : nxt.start]):
            break
        out.append(nxt)
    return out


def _list_before(text: str, people: list[Mention], pos: int, start: int) -> list[Mention]:
    # "to join Elon Musk's lab OpenAI, and returned to Google": a possessor is not the mover,
    # nor is "Murati" in "executives at Thinking Machines, the startup led by Murati, left".
    before = [
        p
        for p in people
        if p.end <= pos
        and not POSSESSOR_RE.match(text, p.end)
        and not AGENT_BEFORE_RE.search(text, max(start, p.start - 30), p.start)
    ]
    if not before:
        return []
    out = [before[-1]]
    for prev in reversed(before[:-1]):
        if not LIST_GAP_RE.match(text[prev.end : out[0].start]):
            break
        out.insert(0, prev)
    return out


def _from_org(ctx: Context, s: Sentence, to_org: str, persons: list[Mention]) -> str | None:
    """The origin: an organisation after "from"/"formerly of"/"left", or "OpenAI researcher X"."""
    text = ctx.text
    for m in ctx.orgs(s):
        if m.name == to_org:
            continue
        before = text[max(s.start, m.start - 40) : m.start]
        if FROM_CUE_TIGHT_RE.search(before) or FROM_CUE_RE.search(before):
            return m.name
        # "OpenAI researcher Jason Wei", "OpenAI's Jason Wei": the org modifies the person.
        for p in persons:
            between = text[m.end : p.start]
            if (
                0 <= len(between) <= 40
                and ORG_OF_PERSON_RE.fullmatch(between)
                and ROLE_NOUN_RE.search(between)
                or between in ("'s ", "’s ")
            ):
                return m.name
    return None


def _role(text: str, s: Sentence, p: Mention, persons: list[Mention], t: regex.Match) -> str | None:
    """Role or expertise as stated: "as chief scientist", an appositive, or a title before the name."""
    # "... as its new chief scientist" after the trigger.
    m = AS_ROLE_RE.search(text[t.end() : s.end])
    if m and ROLE_NOUN_RE.search(m.group("role")):
        return _clean_role(m.group("role"))
    m = TO_LEAD_RE.search(text[t.start() : s.end])
    if m:
        return _clean_role(m.group("role"))
    # Appositive: "X, a senior research scientist focusing on ..., has joined"
    m = APPOSITIVE_ROLE_RE.match(text[p.end : s.end])
    if m and ROLE_NOUN_RE.search(m.group("role")) and not TRIGGER_RE.search(m.group("role")):
        return _clean_role(m.group("role"))
    # Title before the name: "OpenAI researcher X", "former Google scientist X".
    before = text[max(s.start, p.start - 60) : p.start]
    m = TITLE_BEFORE_RE.search(before) if ROLE_AT_END_RE.search(before) else None
    if m:
        return _clean_role(m.group("role"))
    # A list introduced by its role: "three senior researchers from OpenAI, namely A, B and C".
    if len(persons) > 1 or LIST_INTRO_RE.search(text[s.start : persons[0].start]):
        m = COUNTED_ROLE_RE.search(text[t.end() : persons[0].start])
        if m:
            return _clean_role(m.group("role"))
    return None


def _clean_role(role: str) -> str | None:
    role = PUFFERY_RE.sub("", " ".join(role.split())).strip()
    role = ORG_BEFORE_ROLE_RE.sub(
        lambda m: "" if canonical_org(m.group().strip()) else m.group(), role
    )
    # A plural role that introduces a list names what each of them is.
    role = PLURAL_ROLE_RE.sub(r"\1", role)
    return role or None


@cache
def _lead_re(lead: str) -> regex.Pattern:
    return regex.compile(lead, regex.IGNORECASE)
