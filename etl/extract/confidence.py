"""How likely a fact is right, from its evidence: a table of base scores per rule, then
adjustments for what the quote itself shows (the organisation named in it, a known or inferred
origin, an explicit date, a hedge).

The numbers are calibrated on the real-article sets (`make eval-real` prints facts right per
band); they are read as "of facts scored 0.8 or more, at least nine in ten were right there".
"""

from __future__ import annotations

import regex

from etl.entities import canonical_org
from etl.model import Fact

# Base score of each rule (`fact.extra["rule"]`), before adjustments.
BASE: dict[str, float] = {
    # compute
    "count": 0.9,  # "350,000 H100 GPUs"
    "coordinated": 0.8,  # "Google's 90,000 and Meta's 70,000 GPUs": the first count borrows the noun
    # hire
    "hire": 0.9,  # "Meta hired X"
    "passive": 0.88,  # "X was poached by Meta"
    "join": 0.88,  # "X joined Meta"
    "leave": 0.85,  # "X left Apple for Meta"
    "ledby": 0.8,  # "MSL will be led by X"
    "joinedby": 0.72,  # "Wang is joined by X": the destination comes from elsewhere
    "list": 0.78,  # one person a line under "The new team includes:"
    "past_role": 0.7,  # "Anthropic's CEO X was once VP at OpenAI"
    # announcement
    "named": 0.85,  # a verb and a named object ("released Llama 3")
    "noun": 0.7,  # a verb and a described object ("is building a data center in Memphis")
    "participle": 0.72,  # "Colossus, which was launched in June"
    "appointment": 0.8,  # "Meta announced that X will serve as chief scientist"
    "round": 0.85,  # "Inflection AI's $1.3 billion funding round"
    "known_as": 0.65,  # "a new project, known as Hyperion"
}
DEFAULT_BASE = 0.6
# Words that make a statement less than a fact: reports, plans, claims.
HEDGE_RE = regex.compile(
    r"(?<!\w)(?:reportedly|rumou?red|reports?\s+(?:say|suggest)|according\s+to\s+(?:sources|people)|"
    r"sources\s+(?:say|said)|is\s+said\s+to|could|might|may|possibly|expected\s+to|in\s+talks)(?!\w)",
    regex.IGNORECASE,
)


def score(fact: Fact, named: set[str]) -> float:
    """Confidence in [0, 1] for one fact; `named` are the organisations its quote mentions."""
    value = BASE.get(fact.extra.get("rule", ""), DEFAULT_BASE)
    if fact.kind == "compute":
        if fact.org not in named:
            value -= 0.2  # the owner is the article's organisation, not one the sentence names
        if fact.chip is None:
            value -= 0.05
    elif fact.kind == "hire":
        if fact.to_org not in named:
            value -= 0.15  # destination from another sentence (a list intro, an earlier move)
        if canonical_org(fact.to_org) is None:
            value -= 0.1  # an organisation the lexicon does not know
        if fact.person and fact.person not in fact.quote:
            value -= 0.05  # named by surname only here
        if fact.extra.get("origin_inferred"):
            value -= 0.15  # origin taken from what the article is about
        elif fact.extra.get("origin_from_other_sentence"):
            value -= 0.05
    else:
        if fact.org not in named:
            value -= 0.15
        if fact.date is not None and fact.date_phrase:
            value += 0.03
    if HEDGE_RE.search(fact.quote):
        value -= 0.1
    return round(min(1.0, max(0.05, value)), 2)


__all__ = ["score", "BASE"]
