"""Extraction rules on sentences written for these tests (not taken from the seeds)."""

import datetime as dt

import pytest

from etl.extract import extract_text

PUB = dt.date(2025, 3, 4)


def facts(text, kind, published=PUB):
    found = [f for f in extract_text("t", text, published) if f.kind == kind]
    for f in found:
        assert text[f.start : f.end] == f.quote
    return found


@pytest.mark.parametrize(
    ("sentence", "quantity", "unit", "chip"),
    [
        ("xAI operates a cluster of 200,000 Nvidia H100 GPUs in Memphis.", 200_000, "GPUs", "H100"),
        ("Microsoft will deploy 1.8 million GB200 superchips.", 1_800_000, "GPUs", "GB200"),
        ("The lab has 24,576 GPUs online.", 24_576, "GPUs", None),
        ("OpenAI wants a 100,000-GPU cluster for training.", 100_000, "GPUs", None),
        ("Google is adding half a million TPU v5p chips.", 500_000, "GPUs", "TPU v5p"),
        ("Anthropic plans 400K Trainium2 chips next year.", 400_000, "GPUs", "Trainium2"),
        (
            "Meta said its fleet is equivalent to 1.3 million H100s.",
            1_300_000,
            "H100-equivalents",
            "H100",
        ),
        ("DeepSeek reportedly owns 50 thousand Hopper GPUs.", 50_000, "GPUs", "Hopper"),
        ("Oracle is building out 131,072 Blackwell GPUs.", 131_072, "GPUs", "Blackwell"),
    ],
)
def test_compute_quantities_units_and_chips(sentence, quantity, unit, chip):
    (f,) = facts(sentence, "compute")
    assert (f.quantity, f.unit, f.chip) == (quantity, unit, chip)


@pytest.mark.parametrize(
    "sentence",
    [
        "Each server holds eight GPUs per node.",
        "An H100 costs $30,000 per chip.",
        "The model has 405 billion parameters.",
        "It bought hundreds of thousands of GPUs.",
        "Apple ordered 250 GB300 server racks.",
        "The chatbot has 100 million users.",
    ],
)
def test_compute_distractors_are_not_facts(sentence):
    assert facts(sentence, "compute") == []


def test_compute_status_and_deadline_date():
    (planned,) = facts("Amazon aims to have 300,000 Trainium2 chips by the end of 2025.", "compute")
    assert (planned.status, planned.date, planned.date_precision, planned.org) == (
        "planned", dt.date(2025, 12, 31), "year", "Amazon",
    )  # fmt: skip
    (running,) = facts("Tesla already runs 35,000 H100s at its Texas site.", "compute")
    assert running.status == "operational"


def test_compute_org_is_the_buyer_not_the_vendor_or_a_rival():
    (f,) = facts("Unlike OpenAI, Microsoft has bought 485,000 Nvidia Hopper chips.", "compute")
    assert f.org == "Microsoft"


def test_hire_join_with_origin_and_role():
    (f,) = facts(
        "Dana Okafor, a principal engineer at Apple, has joined Anthropic from Apple.", "hire"
    )
    assert (f.person, f.from_org, f.to_org, f.org) == (
        "Dana Okafor",
        "Apple",
        "Anthropic",
        "Anthropic",
    )
    assert f.role == "principal engineer at Apple"


def test_hire_list_gives_one_fact_per_person():
    found = facts(
        "Google DeepMind hired Ravi Menon, Ana Costa and Tom Berg from Microsoft.", "hire"
    )
    assert [(f.person, f.from_org, f.to_org) for f in found] == [
        ("Ravi Menon", "Microsoft", "Google"), ("Ana Costa", "Microsoft", "Google"), ("Tom Berg", "Microsoft", "Google"),
    ]  # fmt: skip


def test_hire_leave_for_and_passive_and_unknown_destination():
    assert [
        (f.person, f.from_org, f.to_org)
        for f in facts("OpenAI researcher Lena Fox is leaving for xAI.", "hire")
    ] == [("Lena Fox", "OpenAI", "xAI")]
    assert [
        (f.person, f.to_org)
        for f in facts("Omar Said was poached by Mistral AI last week.", "hire")
    ] == [("Omar Said", "Mistral AI")]
    assert [
        (f.person, f.to_org)
        for f in facts("Kai Brandt has joined Periodic Labs from Google.", "hire")
    ] == [("Kai Brandt", "Periodic Labs")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Yann LeCun, Meta's chief AI scientist, said the plan was sound.",
        "Ilya Novak left OpenAI in May.",
        "Meta tried to convince Ruth Adler to join the company.",
        "Sam Altman spoke at the event.",
    ],
)
def test_hire_distractors_are_not_facts(sentence):
    assert facts(sentence, "hire") == []


@pytest.mark.parametrize(
    ("sentence", "subject", "category"),
    [
        ("Google released Gemini 2.5 Pro on Tuesday.", "Gemini 2.5 Pro", "model"),
        ("Anthropic unveiled Claude 4 Opus to developers.", "Claude 4 Opus", "model"),
        ("OpenAI is training GPT-5 on its new cluster.", "GPT-5", "model"),
        ("Amazon plans to invest $4 billion in Anthropic.", "Anthropic investment", "investment"),
        (
            "CoreWeave acquired Weights & Biases in March.",
            "Weights & Biases acquisition",
            "investment",
        ),
        (
            "Google is merging Google Brain and DeepMind into one unit.",
            "Google Brain and DeepMind",
            "organisation",
        ),
        (
            "Microsoft is forming a new superintelligence team.",
            "superintelligence team",
            "organisation",
        ),
        (
            "OpenAI will launch a shopping assistant called Operator later this month.",
            "Operator",
            "product",
        ),
        ("xAI is building a data center in Memphis.", "data center", "infrastructure"),
        (
            "Google will host its annual developer conference in May.",
            "annual developer conference",
            "event",
        ),
    ],
)
def test_announcements_subject_and_category(sentence, subject, category):
    found = facts(sentence, "announcement")
    assert [(f.subject, f.category) for f in found] == [(subject, category)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Zuckerberg announced a strategic shift in priorities.",
        "Building Capacity for Open-Source AGI",
        "The open-source approach challenges proprietary models.",
    ],
)
def test_announcement_distractors_are_not_facts(sentence):
    assert facts(sentence, "announcement") == []


def test_repeated_fact_in_one_article_is_kept_once_with_its_date():
    text = "Meta trains Llama 5. Earlier in January, Meta began training Llama 5 on its cluster."
    (f,) = facts(text, "announcement")
    assert (f.subject, f.date) == ("Llama 5", dt.date(2025, 1, 1))


def test_hire_subject_named_by_description_is_the_articles_main_org():
    text = (
        "Anthropic grows its team. Anthropic hires quickly. "
        "The AI safety startup also poached Mira Lund and Oskar Berg from Google last month."
    )
    found = facts(text, "hire")
    assert [(f.person, f.from_org, f.to_org, f.date) for f in found] == [
        ("Mira Lund", "Google", "Anthropic", dt.date(2025, 2, 1)),
        ("Oskar Berg", "Google", "Anthropic", dt.date(2025, 2, 1)),
    ]


def test_headlines_are_not_read_as_hires():
    assert facts("Apple Lures Top Researchers as Cook Regroups Under New Chief", "hire") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "A TPU v5p pod of 8,960 chips costs less than an equivalent system.",
        "Each supernode packs 384 Ascend 910C chips.",
        "Shaving 10 percent off a 50,000-GPU job pays for a researcher.",
    ],
)
def test_machines_and_workloads_are_not_buildouts(sentence):
    assert facts(sentence, "compute") == []


def test_run_on_text_is_cut_into_bounded_sentences_with_exact_offsets():
    from etl.text import MAX_SENTENCE_CHARS, sentences

    text = "  " + "Meta plans 350,000 H100 GPUs and OpenAI hired Jane Doe " * 400 + " "
    found = sentences(text)
    assert len(found) > 1
    assert all(0 < len(s.text) <= MAX_SENTENCE_CHARS for s in found)
    assert all(text[s.start : s.end] == s.text for s in found)
    assert " ".join(s.text for s in found) == " ".join(text.split())
