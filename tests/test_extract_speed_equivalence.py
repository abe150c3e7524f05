"""The extractor's shortcuts change nothing: each gives what the plain rule it stands for gives.

Shortcuts: candidate scans in stdlib `re` before an exact `regex` match (PrefilteredPattern),
cue tests before the date rules and before person-name runs, one organisation scan per article
looked up per sentence, and right-to-left searches for patterns anchored at the end. Each test
runs the shortcut and the plain rule on real article text, on that text altered (case, odd
Unicode characters that fold or count as word characters differently) and on generated text.
"""

import datetime as dt
import re

import pytest
import regex
from conftest import DATA, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

import etl.dates
import etl.entities
from etl.build import read_folder
from etl.dates import find_dates
from etl.entities import MentionIndex, chip_table, find_chips, find_orgs, find_people, org_table
from etl.extract import announcements, common, compute, extract_text, hiring
from etl.extract.context import Context
from etl.text import (
    PrefilteredPattern,
    alternatives,
    by_first_character,
    fold_for_scan,
    leading_words,
    sentences,
)

SOURCES = read_folder([SEEDS, DATA / "articles", DATA / "heldout"]).sources
TEXTS = [s.text for s in SOURCES]
SENTENCES = [x.text for t in TEXTS for x in sentences(t)]
WORDS = sorted({w for s in SENTENCES for w in s.split()})
# Characters where the shortcuts could go wrong: "İ" folds to two characters, "ı" "ſ" "K" fold or
# match letters unusually, "²" and combining marks are word characters for one engine and not
# the other, \x1c is a space for one engine only; plus quotes, dashes and line breaks.
ODD = ["İ", "ı", "ſ", "K", "²", "\u0301", "\x1c", "\u00a0", "\u2028", "中", "’", "“", "—", "ß"]
ODD += ["\n", "\r\n", ".", ",", "-", ";", "Q3", "H1", "2024", "May", "by the end of", "350,000"]
PUBS = [None, dt.date(2023, 9, 11), dt.date(2025, 1, 31)]


def altered(text: str) -> list[str]:
    """The text, and the text changed in ways that stress case folding and word boundaries."""
    odd = "".join(
        c + ("İ" if i % 97 == 0 else "ſ" if i % 89 == 0 else "") for i, c in enumerate(text)
    )
    return [text, text.lower(), text.upper(), text.title(), odd, text.replace(" ", "\u00a0", 50)]


ALTERED = [v for t in TEXTS for v in altered(t)]


@st.composite
def newsy_text(draw) -> str:
    """Article sentences and words in any order and case, with odd characters spliced in."""
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(SENTENCES),
                st.lists(st.sampled_from(WORDS + ODD), max_size=14).map(" ".join),
            ),
            min_size=1,
            max_size=5,
        )
    )
    text = draw(st.sampled_from([" ", "\n", "  ", "\r\n"])).join(parts)
    for _ in range(draw(st.integers(0, 4))):
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(st.sampled_from(ODD)) + text[i:]
    return draw(st.sampled_from([str, str.lower, str.upper, str.title]))(text)


def spans(matches) -> list[tuple]:
    return [(m.span(), m.lastgroup) for m in matches]


def fast_and_exact(scan: PrefilteredPattern, text: str, folded: str | None, start: int, end: int):
    return spans(scan.finditer(text, folded, start, end)), spans(
        scan.exact.finditer(text, start, end)
    )


FOLDED_SCANS = {
    "announcement triggers": announcements.TRIGGER_SCAN,
    "head nouns": announcements.HEAD_SCAN,
    "hire triggers": hiring.TRIGGER_SCAN,
    "quantities": compute.QUANTITY_SCAN,
    "chips": chip_table().scan,
    "planned cues": common._cue_scan(compute.PLANNED_CUES),
    "operational cues": common._cue_scan(compute.OPERATIONAL_CUES),
}


@pytest.mark.parametrize("name", FOLDED_SCANS)
def test_prefiltered_scans_find_what_the_exact_patterns_find(name):
    scan = FOLDED_SCANS[name]
    found = 0
    for text in ALTERED:
        folded = fold_for_scan(text)
        for s in sentences(text):
            fast, exact = fast_and_exact(scan, text, folded, s.start, s.end)
            assert fast == exact, (name, s.text)
            found += len(exact)
    assert found > 20  # the texts exercise the pattern


def test_organisation_scan_finds_what_the_exact_pattern_finds():
    scan = org_table().scan
    for text in ALTERED:
        assert spans(scan.finditer(text, text, 0, len(text))) == spans(scan.exact.finditer(text))


@settings(max_examples=150, deadline=None)
@given(text=newsy_text())
def test_prefiltered_scans_on_generated_text(text):
    folded = fold_for_scan(text)
    for scan in FOLDED_SCANS.values():
        assert spans(scan.finditer(text, folded, 0, len(text))) == spans(scan.exact.finditer(text))
    scan = org_table().scan
    assert spans(scan.finditer(text, text, 0, len(text))) == spans(scan.exact.finditer(text))


def test_folding_that_would_move_offsets_falls_back_to_the_exact_scan():
    text = "İnstagram announced Llama 4. It will launch a chatbot."
    assert fold_for_scan(text) is None
    scan = announcements.TRIGGER_SCAN
    assert spans(scan.finditer(text, None, 0, len(text))) == spans(scan.exact.finditer(text))


# Patterns searched right to left, since their match must end the text searched.
REVERSED_WITH_SPANS = {
    "modifiers before a head noun": announcements.MODIFIERS_BEFORE_RE,
    "word before a period": etl.text.WORD_BEFORE_RE,
}
REVERSED_AS_TESTS = {
    "announcement hedge": announcements.HEDGE_RE,
    "hire hedge": hiring.HEDGE_RE,
    "comparison": common.COMPARISON_RE,
    "from cue": hiring.FROM_CUE_RE,
    "tight from cue": hiring.FROM_CUE_TIGHT_RE,
    "machine before a count": compute.SYSTEM_BEFORE_RE,
    "role noun before a name": hiring.ROLE_AT_END_RE,
}


def forward(pattern: regex.Pattern) -> regex.Pattern:
    assert pattern.pattern.startswith("(?r)")
    return regex.compile(pattern.pattern[4:], pattern.flags & ~regex.REVERSE)


def tails(text: str) -> list[str]:
    """Pieces of sentences ending at every word, as the rules search them (no line breaks)."""
    out = []
    for s in sentences(text):
        ends = [m.start() for m in re.finditer(r"\s", s.text)] + [len(s.text)]
        out += [s.text[max(0, e - 60) : e + 1] for e in ends]
    return out


@pytest.mark.parametrize("name", REVERSED_WITH_SPANS)
def test_right_to_left_searches_match_forward_ones(name):
    fast = REVERSED_WITH_SPANS[name]
    slow = forward(fast)
    hits = 0
    for text in ALTERED:
        for piece in tails(text):
            a, b = fast.search(piece), slow.search(piece)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), piece
            hits += bool(b and b.group())
    assert hits > 20


@pytest.mark.parametrize("name", REVERSED_AS_TESTS)
def test_right_to_left_tests_agree_with_forward_ones(name):
    fast = REVERSED_AS_TESTS[name]
    slow = forward(fast)
    hits = 0
    for text in ALTERED:
        for piece in tails(text):
            assert bool(fast.search(piece)) == bool(slow.search(piece)), piece
            hits += bool(slow.search(piece))
    assert hits > 0


@settings(max_examples=150, deadline=None)
@given(text=newsy_text())
def test_right_to_left_searches_on_generated_text(text):
    for piece in tails(text):
        for fast in REVERSED_WITH_SPANS.values():
            a, b = fast.search(piece), forward(fast).search(piece)
            assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict()))
        for fast in REVERSED_AS_TESTS.values():
            assert bool(fast.search(piece)) == bool(forward(fast).search(piece))


ALL_CUES = set(etl.dates.CUES_AS_WRITTEN) | set(etl.dates.CUES_FOLDED)


def date_refs(text, pub):
    return [(r.start, r.end, r.phrase, r.date, r.precision) for r in find_dates(text, pub)]


def dates_with_and_without_cues(text, pub):
    with_cues = date_refs(text, pub)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(etl.dates, "_cues", lambda window: ALL_CUES)
        every_rule = date_refs(text, pub)
    return with_cues, every_rule


def test_cues_only_skip_date_rules_that_cannot_match():
    found = 0
    for text in ALTERED:
        for s in sentences(text):
            for pub in PUBS:
                with_cues, every_rule = dates_with_and_without_cues(s.text, pub)
                assert with_cues == every_rule, s.text
                found += len(every_rule)
    assert found > 100


@settings(max_examples=200, deadline=None)
@given(text=newsy_text(), pub=st.sampled_from(PUBS))
def test_cues_on_generated_text(text, pub):
    with_cues, every_rule = dates_with_and_without_cues(text, pub)
    assert with_cues == every_rule


def test_the_two_capitals_test_only_skips_texts_without_names(monkeypatch):
    for text in ALTERED:
        for s in sentences(text):
            gated = find_people(text, s.start, s.end)
            with monkeypatch.context() as m:
                m.setattr(etl.entities, "TWO_CAPITALS_RE", re.compile(""))
                assert find_people(text, s.start, s.end) == gated, s.text


def test_organisations_looked_up_per_sentence_equal_a_scan_of_the_sentence():
    for text in ALTERED:
        ctx = Context("t", text)
        for s in ctx.sentences:
            assert ctx.orgs(s) == find_orgs(text, s.start, s.end)
            assert ctx.full_people(s) == find_people(text, s.start, s.end)


def test_an_index_refuses_windows_a_mention_crosses():
    text = "Google DeepMind and Meta AI"
    index = MentionIndex(find_orgs(text))
    assert [m.name for m in index.within(0, len(text))] == ["Google", "Meta"]
    assert index.within(0, 10) is None  # "Google DeepMind" runs past 10
    assert index.within(7, len(text)) is None  # and starts before 7
    assert index.within(16, 19) == []


def test_chip_at_equals_looking_through_the_sentence_scan():
    pattern = chip_table().pattern
    for text in ALTERED:
        ctx = Context("t", text)
        for s in ctx.sentences:
            chips = find_chips(text, s.start, s.end)
            for pos in range(s.start, s.end + 1):
                expected = next((c for c in chips if c.start == pos), None)
                if expected is not None or pattern.match(text, pos, s.end):
                    assert ctx.chip_at(s, pos) == expected


def test_quantity_cue_equals_the_cue_pattern():
    for text in ALTERED + ["MİLLİON", "thouſand", "two hundred"]:
        for s in sentences(text):
            expected = compute.QUANTITY_CUE_RE.search(text, s.start, s.end) is not None
            assert compute._has_quantity_cue(text, s) == expected


def plain_facts(text, pub):
    """Facts with every shortcut turned off: exact scans, every date rule, every sentence."""
    with pytest.MonkeyPatch.context() as m:
        m.setattr(
            PrefilteredPattern,
            "finditer",
            lambda self, text, folded, start, end: self.exact.finditer(text, start, end),
        )
        m.setattr(etl.dates, "_cues", lambda window: ALL_CUES)
        m.setattr(etl.entities, "TWO_CAPITALS_RE", re.compile(""))
        m.setattr(MentionIndex, "within", lambda self, start, end: None)
        return [f.to_record() for f in extract_text("t", text, pub)]


def test_articles_give_the_same_facts_with_and_without_shortcuts():
    total = 0
    for source in SOURCES:
        for text in altered(source.text):
            fast = [f.to_record() for f in extract_text("t", text, source.published)]
            assert fast == plain_facts(text, source.published), source.source_id
            total += len(fast)
    assert total > 500


@settings(max_examples=150, deadline=None)
@given(text=newsy_text(), pub=st.sampled_from(PUBS))
def test_generated_text_gives_the_same_facts_with_and_without_shortcuts(text, pub):
    fast = [f.to_record() for f in extract_text("t", text, pub)]
    assert fast == plain_facts(text, pub)


def test_alternatives_split_only_at_top_level_bars():
    assert alternatives(r"a(?:b|c)|[|]d|e\|f|[]x|]|g") == [
        "a(?:b|c)",
        "[|]d",
        r"e\|f",
        "[]x|]",
        "g",
    ]


def test_leading_words_cover_every_start_or_give_up():
    assert leading_words(r"(?:re)?join(?:s|ed)?|quit(?:s)?|an?|(?:is|are)\s+x") == {
        "re",
        "join",
        "quit",
        "a",
        "is",
        "are",
    }
    assert leading_words(r"\d+|a") is None
    assert leading_words(r"(?:a|\d)b") is None
    assert leading_words(r"(?:ab){2}c") is None


def test_grouping_by_first_character_matches_the_same_text():
    patterns = [r"announc(?:e|ed)|unveil", r"a\s+half|an?|(?:to|will)\s+open", "x"]
    grouped = re.compile(f"(?:{by_first_character(patterns)})")
    plain = re.compile("|".join(f"(?:{p})" for p in patterns))
    for text in ["announced", "a half", "an", "a", "to open", "will open", "unveil", "x", "b"]:
        assert bool(grouped.fullmatch(text)) == bool(plain.fullmatch(text)), text


def test_every_trigger_and_head_noun_starts_with_a_word_the_scans_know():
    # The candidate scans are built from the tables; a rule they cannot read must fail loudly.
    for pattern in (hiring.PASSIVE, hiring.HIRE_VERBS, hiring.JOIN_VERBS, hiring.LEAVE_VERBS):
        assert leading_words(pattern)
    assert all(alternatives(p) for p, _ in announcements.TRIGGERS.values())
