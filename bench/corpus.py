"""A seeded synthetic corpus of tech-news articles, with the gold list of every fact planted in it.

`generate(out_dir, n, seed)` writes `n` articles (mostly .txt, some .md and .html), a
`<id>.meta.json` sidecar for most of them, and `out_dir/gold.jsonl` in the format of
tests/data/gold/*.jsonl. Each article is a headline, a lede and body paragraphs: a few planted
fact sentences (compute, hire, announcement) among filler that carries no extractable fact, so
the gold is complete and extraction precision and recall can be measured at any scale.
The same seed always gives the same bytes; files are streamed to disk one article at a time.

    python -m bench.corpus --n 1000 --seed 7 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import re
import string
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

KINDS = ("compute", "hire", "announcement")
GOLD_NAME = "gold.jsonl"
MIN_BYTES, MAX_BYTES = 2100, 5900  # article text, so every article is 2-6 KB
FIRST_PUB, LAST_PUB = dt.date(2023, 1, 1), dt.date(2025, 12, 31)

# Date = (phrase, date, precision); an empty phrase means the sentence carries no date.
Date = tuple[str, dt.date | None, str | None]
NO_DATE: Date = ("", None, None)


@dataclass
class CorpusInfo:
    """What `generate` wrote: article count, article bytes, the gold file and facts per kind."""

    n: int
    bytes: int
    gold: Path
    facts: dict[str, int] = field(default_factory=dict)
    formats: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        facts = ", ".join(f"{self.facts.get(k, 0)} {k}" for k in KINDS)
        formats = " ".join(f"{k}={v}" for k, v in sorted(self.formats.items()))
        return (
            f"{self.n} articles ({self.bytes / 1e6:.1f} MB, {formats}), "
            f"{sum(self.facts.values())} facts ({facts}) -> {self.gold} in {self.seconds:.1f}s"
        )


# Organisations ------------------------------------------------------------------------------
# canonical name (as in etl/lexicon/orgs.toml) -> surface forms news text uses for it.
ORGS: dict[str, tuple[str, ...]] = {
    "OpenAI": ("OpenAI",),
    "Anthropic": ("Anthropic",),
    "Google": ("Google", "Google DeepMind", "Alphabet"),
    "Meta": ("Meta", "Meta Platforms"),
    "Microsoft": ("Microsoft",),
    "xAI": ("xAI",),
    "Amazon": ("Amazon", "AWS", "Amazon Web Services"),
    "Mistral AI": ("Mistral AI", "Mistral"),
    "Cohere": ("Cohere",),
    "Oracle": ("Oracle",),
    "CoreWeave": ("CoreWeave",),
    "Alibaba": ("Alibaba", "Alibaba Cloud"),
    "DeepSeek": ("DeepSeek",),
    "ByteDance": ("ByteDance",),
    "Tencent": ("Tencent",),
    "Baidu": ("Baidu",),
    "Apple": ("Apple",),
    "Tesla": ("Tesla",),
    "Nebius": ("Nebius",),
    "Lambda": ("Lambda Labs",),
    "Safe Superintelligence": ("Safe Superintelligence", "SSI"),
    "Thinking Machines Lab": ("Thinking Machines Lab", "Thinking Machines"),
    "Perplexity": ("Perplexity",),
    "Databricks": ("Databricks",),
    "Inflection AI": ("Inflection AI",),
    "Hugging Face": ("Hugging Face",),
    "Scale AI": ("Scale AI",),
    "Moonshot AI": ("Moonshot AI",),
    "Zhipu AI": ("Zhipu AI",),
    "Character.AI": ("Character.AI",),
    "Salesforce": ("Salesforce",),
    "IBM": ("IBM",),
    "Samsung": ("Samsung",),
    "Stability AI": ("Stability AI",),
    "AI21 Labs": ("AI21 Labs",),
    "Sakana AI": ("Sakana AI",),
    "Aleph Alpha": ("Aleph Alpha",),
    "SoftBank": ("SoftBank",),
    "Snowflake": ("Snowflake",),
    "Nvidia": ("Nvidia",),
    "AMD": ("AMD",),
    "Huawei": ("Huawei",),
}
VENDORS = frozenset({"Nvidia", "AMD", "Huawei"})
# Who the articles are about, weighted toward the labs that make most of the news.
MAIN_ORGS = (
    ["OpenAI", "Anthropic", "Google", "Meta", "Microsoft", "xAI", "Amazon"] * 3
    + ["Mistral AI", "Alibaba", "DeepSeek", "Oracle", "CoreWeave"] * 2
    + ["Cohere", "ByteDance", "Tencent", "Baidu", "Apple", "Tesla", "Nebius", "Lambda"]
    + ["Safe Superintelligence", "Thinking Machines Lab", "Perplexity", "Databricks"]
    + ["Moonshot AI", "Zhipu AI", "Inflection AI", "Salesforce", "IBM", "Samsung"]
)
HIRE_ORGS = (
    ["OpenAI", "Anthropic", "Google", "Meta", "Microsoft", "xAI", "Apple", "Amazon"] * 2
    + ["Mistral AI", "Cohere", "Nvidia", "Tesla", "Safe Superintelligence", "Perplexity"]
    + ["Thinking Machines Lab", "Databricks", "Scale AI", "Character.AI", "Hugging Face"]
    + ["Salesforce", "IBM", "Samsung", "ByteDance", "Inflection AI", "Stability AI"]
)
CHINESE = frozenset(
    {"Alibaba", "DeepSeek", "ByteDance", "Tencent", "Baidu", "Moonshot AI", "Zhipu AI"}
)
# "the ChatGPT maker": how reporters refer back to an organisation they already named.
COMPANY_REFS = ("The company", "The firm", "The startup", "The group")

# Chips --------------------------------------------------------------------------------------
# (canonical chip or None, phrase templates); "{v}" is an optional vendor word.
NVIDIA_CODES = ("H100", "H200", "B200", "GB200", "GB300", "B300", "A100")
CHINA_CODES = ("H800", "H20", "A800")
AMD_CODES = ("MI300X", "MI325X", "MI355X")


def _nvidia_phrase(rng: random.Random, code: str) -> str:
    if code.startswith("GB"):
        return rng.choice((f"{code} superchips", f"{code}s", f"Nvidia {code} chips"))
    return rng.choice(
        (
            f"Nvidia {code} GPUs",
            f"{code} GPUs",
            f"{code}s",
            f"{code} chips",
            f"Nvidia {code} chips",
            f"{code} accelerators",
            f"{code} graphics processors",
        )
    )


def _chip(rng: random.Random, org: str) -> tuple[str, str | None]:
    """A chip phrase that can follow a quantity, and its canonical chip (None when generic)."""
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(
            (
                ("GPUs", None),
                ("Nvidia GPUs", None),
                ("AI chips", None),
                ("accelerators", None),
                ("graphics processors", None),
                ("data center GPUs", None),
            )
        )
    if org == "Google" and roll < 0.8:
        return rng.choice(
            (
                ("TPU v5p chips", "TPU v5p"),
                ("v5p TPUs", "TPU v5p"),
                ("TPU v5e chips", "TPU v5e"),
                ("TPU v4 chips", "TPU v4"),
                ("Trillium TPUs", "TPU v6e"),
                ("Trillium chips", "TPU v6e"),
                ("Ironwood TPUs", "TPU v7"),
                ("TPUs", "TPU"),
            )
        )
    if org in ("Amazon", "Anthropic") and roll < 0.7:
        return rng.choice(
            (
                ("Trainium2 chips", "Trainium2"),
                ("Trainium 2 chips", "Trainium2"),
                ("Trainium3 chips", "Trainium3"),
                ("Trainium chips", "Trainium"),
            )
        )
    if org in CHINESE and roll < 0.8:
        code = rng.choice(CHINA_CODES + ("H100",))
        return rng.choice(
            (
                (_nvidia_phrase(rng, code), code),
                ("Ascend 910B chips", "Ascend 910B"),
                ("Huawei Ascend 910B processors", "Ascend 910B"),
                ("Ascend 910C chips", "Ascend 910C"),
            )
        )
    if org == "Microsoft" and roll < 0.25:
        return ("Maia 100 accelerators", "Maia 100")
    if org == "Meta" and roll < 0.25:
        return ("MTIA chips", "MTIA")
    if roll < 0.3:
        code = rng.choice(AMD_CODES)
        return rng.choice((f"AMD {code} accelerators", f"{code} GPUs", f"AMD {code} chips")), code
    if roll < 0.38:
        return rng.choice(("Blackwell GPUs", "Nvidia Blackwell chips", "Blackwell Ultra GPUs")), (
            "Blackwell"
        )
    code = rng.choice(NVIDIA_CODES + ("H100", "H100", "H200", "GB200"))
    return _nvidia_phrase(rng, code), code


QUANTITY_POOLS = (
    (4_096, 8_192, 10_000, 12_000, 16_384, 18_000, 20_000, 24_000, 24_576, 25_000, 30_000,
     32_000, 32_768, 40_000, 48_000, 50_000, 60_000, 64_000),
    (75_000, 80_000, 96_000, 100_000, 110_000, 120_000, 128_000, 150_000, 160_000, 200_000,
     220_000, 250_000, 300_000, 320_000),
    (350_000, 400_000, 450_000, 500_000, 600_000, 700_000, 750_000, 800_000, 1_000_000,
     1_200_000, 1_300_000, 1_500_000, 2_000_000, 2_500_000, 3_000_000, 5_000_000),
)  # fmt: skip
SMALL_FLEET_CHIPS = frozenset(
    ("A100", "H800", "H20", "A800", "Maia 100", "MTIA", "Ascend 910B", "Ascend 910C", "TPU v4")
    + AMD_CODES
)
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 5: "five"}


def _quantity_text(rng: random.Random, q: int) -> str:
    """A number the way reporters write it: 350,000 / 350k / 1.2 million / half a million."""
    forms = [f"{q:,}"]
    if q % 1000 == 0 and q < 1_000_000:
        forms += [f"{q // 1000}k", f"{q // 1000},000"]
        if rng.random() < 0.2:
            forms.append(f"{q // 1000}K")
    if q == 500_000:
        forms.append("half a million")
    if q >= 1_000_000 and q % 100_000 == 0:
        forms += [f"{q / 1e6:g} million"] * 2
        if q % 1_000_000 == 0 and q // 1_000_000 in NUMBER_WORDS:
            forms.append(f"{NUMBER_WORDS[q // 1_000_000]} million")
    text = rng.choice(forms)
    prefix = rng.choice(("", "", "", "about ", "roughly ", "more than ", "nearly ", "some "))
    return prefix + text


def _cluster_quantity(rng: random.Random, q: int) -> str:
    """The compound form: "a 100,000-GPU cluster"."""
    if q % 1000 == 0 and q < 1_000_000 and rng.random() < 0.3:
        return f"{q // 1000}k-GPU"
    return f"{q:,}-GPU"


# People -------------------------------------------------------------------------------------
# First and last names by naming tradition; a person takes both from one tradition.
NAMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (
        ("Emily", "Daniel", "Rachel", "Jonathan", "Megan", "Tyler", "Lauren", "Marcus", "Hannah",
         "Derek", "Allison", "Brian", "Caitlin", "Nathan", "Olivia", "Gregory", "Sarah", "Kevin"),
        ("Whitaker", "Holloway", "Brennan", "Caldwell", "Mercer", "Thornton", "Gallagher", "Reyes",
         "Lindqvist", "Harper", "Sullivan", "Donovan", "Prescott", "Ellison", "Fairbanks",
         "Kessler"),
    ),
    (
        ("Wei", "Xinyi", "Jun", "Mei", "Hao", "Lingling", "Zhiyuan", "Yiming", "Ruoxi", "Tao",
         "Shuang", "Chen", "Jiahao", "Yuqing"),
        ("Zhang", "Liu", "Wang", "Chen", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Guo",
         "Lin", "Tang"),
    ),
    (
        ("Priya", "Arjun", "Ananya", "Rohan", "Kavya", "Vikram", "Meera", "Siddharth", "Aditi",
         "Rahul", "Deepika", "Nikhil"),
        ("Natarajan", "Krishnan", "Iyer", "Mehta", "Raghavan", "Chatterjee", "Kulkarni", "Reddy",
         "Banerjee", "Agarwal", "Subramanian", "Joshi"),
    ),
    (
        ("Kwame", "Amara", "Chidi", "Ngozi", "Tendai", "Folake", "Kofi", "Zanele", "Emeka",
         "Adaeze", "Sipho", "Wanjiru"),
        ("Mensah", "Okafor", "Nwosu", "Adeyemi", "Okonkwo", "Moyo", "Boateng", "Kamau", "Eze",
         "Achebe", "Dlamini", "Ndlovu"),
    ),
    (
        ("Lucía", "Mateo", "Sofía", "Diego", "Valentina", "Andrés", "Camila", "Javier", "Isabel",
         "Tomás", "Gabriela", "Rodrigo"),
        ("Fernández", "Ramírez", "Castillo", "Morales", "Herrera", "Vargas", "Navarro", "Ortega",
         "Delgado", "Méndez", "Rojas", "Salazar"),
    ),
    (
        ("Hiroshi", "Yuki", "Kenji", "Aiko", "Takumi", "Haruka", "Ren", "Sakura", "Daisuke",
         "Minji", "Jiwoo", "Seojun"),
        ("Tanaka", "Watanabe", "Nakamura", "Kobayashi", "Yamamoto", "Sato", "Park", "Kim", "Choi",
         "Jung", "Kang", "Yoon"),
    ),
    (
        ("Dmitri", "Elena", "Tomasz", "Katarzyna", "Mikhail", "Anastasia", "Łukasz", "Irina",
         "Pavel", "Zofia", "Oleksandr", "Natalia"),
        ("Volkov", "Petrova", "Wierzbicki", "Kowalska", "Sokolov", "Ivanova", "Nowak", "Morozova",
         "Horvat", "Lewandowska", "Kovalenko", "Novak"),
    ),
    (
        ("Ahmed", "Layla", "Omar", "Yasmin", "Karim", "Nadia", "Tariq", "Leila", "Samir", "Rania",
         "Youssef", "Dalia"),
        ("Hassan", "Haddad", "Mansour", "Khalil", "Nasser", "Saleh", "Farouk", "Aziz", "Rahman",
         "Kassem", "Hamdan", "Qureshi"),
    ),
    (
        ("Jean-Luc", "Amélie", "Søren", "Ingrid", "Matthias", "Léa", "Henrik", "Giulia", "Marco",
         "Annika", "Lars", "Chiara"),
        ("Moreau", "Lefèvre", "Andersen", "Bergström", "Müller", "Rossi", "Bianchi", "Dubois",
         "Jansen", "van der Berg", "Schneider", "Esposito"),
    ),
    (
        ("Noa", "Yonatan", "Tamar", "Eitan", "Maya", "Ariel"),
        ("Friedman", "Levy", "Mizrahi", "Katz", "Shapiro", "Ben-David"),
    ),
    (
        ("Linh", "Minh", "Thao", "Anh", "Rizal", "Siti", "Maria", "Jose", "Ana", "Paulo"),
        ("Nguyen", "Tran", "Pham", "Santoso", "Wijaya", "Reyes", "Santos", "Souza", "Costa",
         "Oliveira"),
    ),
)  # fmt: skip
# The hire rules read a hedge ("talks", "if", "court...") just before the verb, so a surname
# containing one of these letter runs is kept out: the benchmark measures phrasing, not that.
_HEDGE_LETTERS = re.compile(
    r"court|hop|urg|invit|offer|tr(?:y|ied)|lobby|fail|declin|refus|reject|rumo|talk|consider"
    r"|persuad|convinc|attempt|want|(?:not|if|may|could|might|would|never)\b",
    re.IGNORECASE,
)
PRONOUNS = ("she", "he", "she", "he", "they")

# Hires: (the role as written after "as", the role a careful reader records)
ROLE_AREAS = (
    "pretraining", "post-training", "applied research", "inference infrastructure",
    "safety research", "multimodal research", "reasoning research", "model evaluation",
    "data center operations", "alignment research", "robotics research", "developer products",
    "training infrastructure", "interpretability research", "speech research", "agent research",
)  # fmt: skip
TITLES = (
    "researcher", "research scientist", "senior research scientist", "research engineer",
    "senior engineer", "infrastructure engineer", "chip architect", "product manager",
    "distinguished engineer", "principal scientist", "staff engineer",
)  # fmt: skip


def _as_role(rng: random.Random) -> tuple[str, str]:
    """A role phrase for "joined X as ..." and the role a reader records from it."""
    area = rng.choice(ROLE_AREAS)
    return rng.choice(
        (
            (f"head of {area}", f"head of {area}"),
            (f"its new head of {area}", f"head of {area}"),
            (f"vice president of {area}", f"vice president of {area}"),
            (f"director of {area}", f"director of {area}"),
            ("chief scientist", "chief scientist"),
            ("its chief technology officer", "chief technology officer"),
            ("chief research officer", "chief research officer"),
            ("a principal research scientist", "principal research scientist"),
            ("a senior research engineer", "senior research engineer"),
            ("a member of technical staff", "member of technical staff"),
            ("a distinguished engineer", "distinguished engineer"),
        )
    )


# Announcements ------------------------------------------------------------------------------
def _model_name(rng: random.Random, org: str, brand) -> str:
    """A model name in the organisation's own naming scheme; `brand()` names the others'."""
    v = rng.choice(("2", "3", "4", "5", "6", "2.5", "3.5", "4.1", "4.5", "5.1"))
    n = rng.randint(2, 9)
    size = rng.choice(("Pro", "Flash", "Ultra", "Mini", "Max", "Turbo"))
    families = {
        "OpenAI": (f"GPT-{v}", f"GPT-{v} mini", f"o{n}", f"o{n}-mini", f"GPT-{v} Turbo"),
        "Anthropic": (f"Claude {v}", f"Claude {n}"),
        "Google": (f"Gemini {v} {size}", f"Gemini {v}", f"Gemma {n}"),
        "Meta": (f"Llama {n}", f"Llama {v} Scout", f"Llama {n} Maverick"),
        "xAI": (f"Grok {n}", f"Grok {v}"),
        "Mistral AI": (f"Mistral Large {n}", f"Mistral Medium {n}", f"Codestral {n}"),
        "Alibaba": (f"Qwen{n}", f"Qwen{v}-Max", f"Qwen{n} {size}"),
        "DeepSeek": (f"DeepSeek-V{n}", f"DeepSeek-R{n}"),
        "Cohere": (f"Command R{n}", f"Aya {n}"),
        "Amazon": (f"Nova {n} Pro", f"Nova {v}", f"Titan {n}"),
        "Microsoft": (f"Phi-{n}", f"MAI-{n}"),
        "Baidu": (f"Ernie {n}", f"Ernie {v} Turbo"),
        "Moonshot AI": (f"Kimi K{n}",),
        "Zhipu AI": (f"GLM-{n}", f"GLM-{v}"),
        "ByteDance": (f"Doubao {v}",),
        "Stability AI": (f"SD{n} Turbo",),
        "AI21 Labs": (f"Jamba {v}",),
    }
    if org not in families:
        word = brand()
        return rng.choice((f"{word}-{n}", f"{word} {v}"))
    options = families[org]
    return rng.choice(options)


# Invented brand words for products, units, projects and startups. None begins like a model
# family ("Nova", "Titan", "Phi", "Yi"...): those names read as models, not products.
BRAND_WORDS = (
    "Tideline", "Lantern", "Harbor", "Beacon", "Relay", "Compass", "Scribe", "Orbit", "Meridian",
    "Quarry", "Lattice", "Keystone", "Halcyon", "Juniper", "Cobalt", "Sequoia", "Ember", "Vantage",
    "Solstice", "Aurora", "Driftwood", "Kestrel", "Marlin", "Obsidian", "Paragon", "Quill",
    "Redwood", "Sextant", "Tessera", "Umbra", "Vesper", "Wayfinder", "Zephyr", "Bramble",
    "Cascade", "Dovetail", "Foxglove", "Glacier", "Heron", "Ironbark", "Larkspur", "Monsoon",
)  # fmt: skip
STARTUP_TAILS = ("Robotics", "AI", "Labs", "Systems", "Dynamics", "Analytics", "Bio")


CITIES = (
    "Abilene", "Memphis", "Phoenix", "Columbus", "Reno", "Quincy", "Omaha", "Atlanta",
    "Des Moines", "San Antonio", "Dublin", "Stockholm", "Marseille", "Helsinki", "Mumbai",
    "Osaka", "Singapore", "Johor", "Querétaro", "Santiago", "Lisbon", "Warsaw", "Toronto",
    "Montreal", "Zurich", "Munich", "Seoul", "Taipei", "Sydney", "Cardiff", "Leeds", "Oslo",
)  # fmt: skip
STATES = (
    "Texas", "Ohio", "Louisiana", "Wisconsin", "Arizona", "Georgia", "Iowa", "Nebraska",
    "Indiana", "Oregon", "Pennsylvania", "North Dakota", "Wyoming", "Virginia",
)  # fmt: skip

# Dates --------------------------------------------------------------------------------------
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINAL = ("first", "second", "third", "fourth")


def _month_start(y: int, m: int) -> dt.date:
    return dt.date(y, m, 1)


def _shift_month(d: dt.date, months: int) -> tuple[int, int]:
    idx = d.year * 12 + d.month - 1 + months
    return idx // 12, idx % 12 + 1


def _quarter_last(y: int, q: int) -> dt.date:
    m = 3 * q
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _deadline(rng: random.Random, pub: dt.date, known: bool) -> Date:
    """A deadline or future period for a plan: "by the end of 2025" is 2025-12-31."""
    y = pub.year
    options: list[Date] = []
    ye = rng.randint(y, y + 2)
    options.append((f"by the end of {ye}", dt.date(ye, 12, 31), "year"))
    yb = rng.randint(y + 1, y + 3)
    options.append((f"by {yb}", dt.date(yb, 12, 31), "year"))
    qy, qm = _shift_month(pub, rng.randint(3, 15))
    q = (qm - 1) // 3 + 1
    options.append(
        (f"in the {ORDINAL[q - 1]} quarter of {qy}", dt.date(qy, 3 * q - 2, 1), "quarter")
    )
    options.append(
        (f"by the end of the {ORDINAL[q - 1]} quarter of {qy}", _quarter_last(qy, q), "quarter")
    )
    my, mm = _shift_month(pub, rng.randint(2, 14))
    options.append((f"in {MONTH_NAMES[mm - 1]} {my}", _month_start(my, mm), "month"))
    if known:
        options += [
            ("by the end of this year", dt.date(y, 12, 31), "year"),
            ("by the end of next year", dt.date(y + 1, 12, 31), "year"),
            ("by year-end", dt.date(y, 12, 31), "year"),
            ("next year", dt.date(y + 1, 1, 1), "year"),
        ] * 2
    return rng.choice(options)


def _past(rng: random.Random, pub: dt.date, known: bool) -> Date:
    """A date before publication: "in March 2024", "last month", "on Tuesday"."""
    options: list[Date] = []
    my, mm = _shift_month(pub, -rng.randint(1, 16))
    options.append((f"in {MONTH_NAMES[mm - 1]} {my}", _month_start(my, mm), "month"))
    dy, dm = _shift_month(pub, -rng.randint(1, 10))
    day = dt.date(dy, dm, rng.randint(1, 28))
    options.append((f"on {MONTH_NAMES[dm - 1]} {day.day}, {dy}", day, "day"))
    qy, qm = _shift_month(pub, -rng.randint(4, 15))
    q = (qm - 1) // 3 + 1
    options.append(
        (f"in the {ORDINAL[q - 1]} quarter of {qy}", dt.date(qy, 3 * q - 2, 1), "quarter")
    )
    if known:
        ly, lm = _shift_month(pub, -1)
        options += [
            ("last month", _month_start(ly, lm), "month"),
            ("yesterday", pub - dt.timedelta(days=1), "day"),
            ("last year", dt.date(pub.year - 1, 1, 1), "year"),
        ]
        wd = rng.randrange(7)
        back = (pub.weekday() - wd) % 7
        options.append((f"on {WEEKDAY_NAMES[wd]}", pub - dt.timedelta(days=back), "day"))
        if pub.day > 7:
            options.append(("earlier this month", _month_start(pub.year, pub.month), "month"))
        if pub.month > 2:
            m = rng.randint(1, pub.month - 1)
            options.append((f"earlier in {MONTH_NAMES[m - 1]}", _month_start(pub.year, m), "month"))
    return rng.choice(options)


def _upcoming(rng: random.Random, pub: dt.date, known: bool) -> Date:
    """A future date for an event or release: "next month", "in October 2025"."""
    options: list[Date] = []
    my, mm = _shift_month(pub, rng.randint(1, 10))
    options.append((f"in {MONTH_NAMES[mm - 1]} {my}", _month_start(my, mm), "month"))
    qy, qm = _shift_month(pub, rng.randint(3, 12))
    q = (qm - 1) // 3 + 1
    options.append(
        (f"in the {ORDINAL[q - 1]} quarter of {qy}", dt.date(qy, 3 * q - 2, 1), "quarter")
    )
    if known:
        ny, nm = _shift_month(pub, 1)
        options += [
            ("next month", _month_start(ny, nm), "month"),
            ("next year", dt.date(pub.year + 1, 1, 1), "year"),
        ]
        if pub.day < 20:
            options.append(("later this month", _month_start(pub.year, pub.month), "month"))
        if pub.month < 12:
            m = rng.randint(pub.month + 1, 12)
            d = rng.randint(1, 28)
            options.append((f"on {MONTH_NAMES[m - 1]} {d}", dt.date(pub.year, m, d), "day"))
    return rng.choice(options)


def _maybe(rng: random.Random, p: float, make, *args) -> Date:
    return make(rng, *args) if rng.random() < p else NO_DATE


def _sp(date: Date) -> str:
    """The date phrase with a leading space, or nothing."""
    return f" {date[0]}" if date[0] else ""


def _lead(date: Date) -> str:
    """The date phrase opening a sentence: "On Tuesday, ", "Last month, "."""
    return f"{date[0][0].upper()}{date[0][1:]}, " if date[0] else ""


# Attribution clauses carry no date, organisation, name, tense cue or trigger verb.
ATTRIBUTIONS = (
    "according to people familiar with the matter",
    "according to two people briefed on the matter",
    "a spokesperson said",
    "the company said in a statement",
    "according to a regulatory filing",
    "according to an internal memo seen by reporters",
    "a person close to the company said",
    "executives told analysts on an earnings call",
    "according to a company blog post",
    "people with knowledge of the matter said",
    "according to a presentation to investors",
)


# One article ------------------------------------------------------------------------------
@dataclass
class Gold:
    """One planted fact: its kind, the sentence quoting it, its date and per-kind fields."""

    kind: str
    quote: str
    date: Date
    fields: dict


class Article:
    """Builds one article's planted sentences and filler from its own random stream."""

    def __init__(self, rng: random.Random, pub: dt.date, pub_known: bool, main: str):
        self.rng = rng
        self.pub = pub
        self.known = pub_known
        self.main = main
        self.quantities: set[int] = set()
        self.people: set[str] = set()
        self.subjects: list[set[str]] = []
        self.used: set[str] = set()
        self.brands: set[str] = set()
        self.refs_ok = False  # the lede names the organisation; later sentences may refer back
        self.places: set[str] = set()

    # helpers ---------------------------------------------------------------------------
    def surface(self, org: str) -> str:
        return self.rng.choice(ORGS[org])

    def other_org(self, pool, *exclude: str) -> str:
        while True:
            org = self.rng.choice(pool)
            if org not in exclude:
                return org

    def person(self) -> str:
        rng = self.rng
        while True:
            firsts, lasts = rng.choice(NAMES)
            name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
            if name not in self.people and not _HEDGE_LETTERS.search(name):
                self.people.add(name)
                return name

    def quantity(self, planned: bool, unit: str, chip: str | None, cluster: bool = False) -> int:
        """A count of a plausible size: plans and H100-equivalents run larger than fleets of
        one chip, and niche or export-limited chips come in smaller numbers."""
        if unit == "H100-equivalents":
            weights = (0.0, 0.4, 0.6)
        elif chip in SMALL_FLEET_CHIPS or cluster:
            weights = (0.6, 0.4, 0.0)
        elif planned:
            weights = (0.3, 0.4, 0.3)
        else:
            weights = (0.5, 0.4, 0.1)
        while True:
            pool = self.rng.choices(QUANTITY_POOLS, weights)[0]
            q = self.rng.choice(pool)
            if q not in self.quantities:
                self.quantities.add(q)
                return q

    def subject(self, make) -> str | None:
        """A subject unlike every other subject of this article, so that matching by word
        overlap (tests/scoring.py) cannot pair a gold fact with the wrong prediction."""
        for _ in range(30):
            s = make()
            words = _words(s)
            if not any(_overlap(words, other) for other in self.subjects):
                self.subjects.append(words)
                return s
        return None

    def claim(self, subject: str) -> str:
        """Record a subject that is unique by construction (one per article)."""
        self.subjects.append(_words(subject))
        return subject

    def brand(self) -> str:
        """An invented name not used before in this article (subjects must not overlap)."""
        while True:
            word = self.rng.choice(BRAND_WORDS)
            if len(self.brands) >= len(BRAND_WORDS) // 2:  # never in practice: a few per article
                word = f"{word} {self.rng.choice(BRAND_WORDS)}"
            if word not in self.brands:
                self.brands.add(word)
                return word

    def once(self, what: str) -> bool:
        """True the first time `what` is asked for in this article."""
        if what in self.places:
            return False
        self.places.add(what)
        return True

    def org_ref(self, org: str) -> str:
        """The organisation's name, or "The company" when it is the article's subject."""
        if org == self.main and self.refs_ok and self.rng.random() < 0.2:
            return self.rng.choice(COMPANY_REFS)
        return self.surface(org)

    # compute -----------------------------------------------------------------------------
    def compute(self, org: str) -> tuple[str, list[Gold]]:
        rng = self.rng
        shape = rng.randrange(17)
        planned = shape < 9
        chips, chip = _chip(rng, org)
        unit = "GPUs"
        if shape in (6, 7, 11, 12):
            unit, chip = "H100-equivalents", "H100"
        elif shape in (8, 16):
            chip = None
        q = self.quantity(planned, unit, chip, cluster=shape in (8, 16))
        qt = _quantity_text(rng, q)
        o = self.org_ref(org)
        attr = rng.choice(ATTRIBUTIONS)
        city = rng.choice(CITIES)
        where = rng.choice(("", "", f" in {city}", f" at its {city} campus"))
        if planned:
            date = _maybe(rng, 0.75, _deadline, self.pub, self.known)
        else:
            date = _maybe(rng, 0.4, _past, self.pub, self.known)
        d = _sp(date)
        if shape == 0:
            s = f"{o} plans to deploy {qt} {chips}{d}, {attr}."
        elif shape == 1:
            date = _maybe(rng, 0.6, _past, self.pub, self.known)
            verb = "ordered" if date[0] else "has ordered"
            s = f"{o} {verb} {qt} {chips}{_sp(date)}, {attr}."
        elif shape == 2:
            s = f"{o} aims to bring its total to {qt} {chips}{d}."
        elif shape == 3:
            s = f"Under the plan, {_lower_ref(o)} would take delivery of {qt} {chips}{d}."
        elif shape == 4:
            s = f"{o} intends to expand its fleet to {qt} {chips}{d}, {attr}."
        elif shape == 5:
            s = f"{o} is on track to have {qt} {chips} online{d}."
        elif shape == 6:
            eq = rng.choice(("H100 equivalents", "H100-equivalents", "H100-equivalent units"))
            s = f"{o} wants its compute to reach {qt} {eq}{d}, {attr}."
        elif shape == 7:
            s = f"{o} expects to control the equivalent of {qt} H100s{d}."
        elif shape == 8:
            qt = _cluster_quantity(rng, q)
            s = f"{o} is planning a {qt} supercomputer{where}{d}, {attr}."
        elif shape == 9:
            s = f"{o} now operates a cluster of {qt} {chips}{where}."
        elif shape == 10:
            s = f"{o} already runs {qt} {chips} across its data centers, {attr}."
        elif shape == 11:
            fleet = f"{q:,}"
            s = (
                f"After its latest expansion, {_lower_ref(o)} has a fleet of roughly {fleet} "
                f"H100 equivalents, {attr}."
            )
        elif shape == 12:
            s = f"{ORGS[org][0]}'s computing capacity now stands at the equivalent of {qt} H100s."
        elif shape == 13:
            s = f"{o} finished installing {qt} {chips}{d}."
        elif shape == 14:
            s = f"{o} currently has {qt} {chips} in service{where}."
        elif shape == 15:
            s = f"{o} brought {qt} {chips} online{d}, {attr}."
        else:
            qt = _cluster_quantity(rng, q)
            s = f"A {qt} cluster is already running at {ORGS[org][0]}'s {city} site, {attr}."
        if shape in (9, 10, 11, 12, 14, 16):
            date = NO_DATE
        status = "planned" if planned else "operational"
        fields = {"org": org, "chip": chip, "quantity": q, "unit": unit, "status": status}
        return s, [Gold("compute", s, date, fields)]

    # hire ------------------------------------------------------------------------------
    def hire(self, to: str) -> tuple[str, list[Gold]]:
        rng = self.rng
        frm = self.other_org(HIRE_ORGS, to)
        p = self.person()
        t = self.surface(to)
        f = self.surface(frm)
        pron = rng.choice(PRONOUNS)
        years = rng.choice(("three", "four", "five", "six", "seven", "eight", "nine", "ten"))
        area = rng.choice(ROLE_AREAS)
        title = rng.choice(TITLES)
        as_role, role = _as_role(rng)
        date = _maybe(rng, 0.55, _past, self.pub, self.known)
        d = _sp(date)
        people = [p]
        shape = rng.randrange(12)
        if shape == 0:
            s = f"{p}, who led {area} at {f}, joined {t}{d} as {as_role}."
        elif shape == 1:
            verb = f"joined {t}{d}" if d else f"has joined {t}"
            s = f"{p}, who spent {years} years at {f}, {verb} as {as_role}."
        elif shape == 2:
            verb = "hired" if d else "has hired"
            s = f"{t} {verb} {p} from {f}{d} to lead its {area} team."
            role = f"{area} team lead"
        elif shape == 3:
            # "left X for Y" is read with at most two words of X between the verb and "for".
            f = f if len(f.split()) <= 2 else next(x for x in ORGS[frm] if len(x.split()) <= 2)
            verb = "left" if d else "is leaving"
            s = f"{p} {verb} {f} for {t}{d}, where {pron} will lead {area}."
            role = f"{area} lead"
        elif shape == 4:
            verb = "poached" if d else "has poached"
            s = f"{t} {verb} {f} {title} {p}{d}, {rng.choice(ATTRIBUTIONS)}."
            role = title
        elif shape == 5:
            s = f"{p}, formerly of {f}, will head {area} at {t}."
            role, date = f"head of {area}", NO_DATE
        elif shape == 6:
            s = f"{t} has appointed {p} as {as_role}; {pron} previously spent {years} years at {f}."
            date = NO_DATE
        elif shape == 7:
            s = f"{p} left {f}{d} to join {t} as {as_role}."
        elif shape == 8:
            p2 = self.person()
            people = [p, p2]
            plural = title + "s"
            s = f"{t} recruited two {plural} from {f}, {p} and {p2}{_comma(d)}."
            role = title
        elif shape == 9:
            s = f"{p} joined {t} from {f}{d} as {as_role}."
        elif shape == 10 and to == self.main and self.refs_ok:
            s = f"{p}, a former {f} {title}, has joined the company as {as_role}."
            date = NO_DATE
        else:
            s = f"{_lead(date)}{t} hired {p}, {_a(title)} at {f}, as {as_role}."
        fields_base = {"from_org": frm, "to_org": to, "org": to, "role": role}
        golds = [Gold("hire", s, date, {"person": who, **fields_base}) for who in people]
        return s, golds

    # announcement ----------------------------------------------------------------------
    def announcement(self, org: str) -> tuple[str, list[Gold]]:
        rng = self.rng
        o = self.org_ref(org)
        shape = rng.randrange(20)
        model = self.subject(lambda: _model_name(rng, org, self.brand)) if shape < 6 else None
        if shape < 6 and model is None:  # this organisation's model names are used up here
            shape = rng.choice((6, 7, 8, 9, 13, 17))
        date = _maybe(rng, 0.7, _past, self.pub, self.known)
        d = _sp(date)
        if shape < 6:
            cat, subject = "model", model
            kind_word = rng.choice(("reasoning", "multimodal", "open-weight", "coding", "flagship"))
            if shape == 0:
                s = f"{o} unveiled {model}, its latest {kind_word} model{_comma(d)}."
            elif shape == 1:
                bench = rng.choice(BENCHES)
                s = (
                    f"{o} released {model}{d}, saying it outperforms its predecessor on "
                    f"{bench} benchmarks."
                )
            elif shape == 2:
                size, use = _a(rng.choice(SIZES)), rng.choice(USES)
                verb = "launched" if d else "is launching"
                s = f"{o} {verb} {model}, {size} model aimed at {use}{_comma(d)}."
            elif shape == 3:
                who = self.surface(org) if date[0] else o
                s = f"{_lead(date)}{who} introduced {model}, a new {kind_word} model family."
            elif shape == 4:
                date = _maybe(rng, 0.8, _upcoming, self.pub, self.known)
                s = f"{o} said it will release {model} to developers{_sp(date)}."
            else:
                attr = rng.choice(ATTRIBUTIONS)
                s = f"{o} began rolling out {model} to paying customers{d}, {attr}."
        elif shape < 9:
            cat = "product"
            subject = self.subject(self.brand)
            desc = rng.choice(PRODUCT_DESC)
            if shape == 6:
                who = rng.choice(AUDIENCES)
                s = f"{o} rolled out {subject}, {_a(desc)} assistant for {who}{_comma(d)}."
            elif shape == 7:
                s = f"{o} launched {subject}, an app that {rng.choice(APP_DOES)}{_comma(d)}."
            else:
                city = rng.choice(CITIES)
                s = f"{o} debuted {subject}, its new {desc} agent, at an event in {city}{d}."
        elif shape < 13:
            cat = "investment"
            amount = _money(rng)
            what = "acquisition" if shape in (10, 12) else "investment"
            subject = self.subject(lambda: f"{self._target(org)} {what}")
            target = subject.removesuffix(f" {what}")
            # After a known organisation's name the rule needs a word it knows ("on", "last").
            while date[0] == "yesterday":
                date = _past(rng, self.pub, self.known)
            d = _sp(date)
            if shape == 9:
                s = f"{o} invested {amount} in {target}{d}, {rng.choice(ATTRIBUTIONS)}."
            elif shape == 10:
                s = f"{o} agreed to acquire {target} for {amount}{d}."
            elif shape == 11:
                article = "an" if amount.startswith(("$8 ", "$8.", "$11", "$18")) else "a"
                s = f"{o} led {article} {amount} funding round in {target}{d}."
            else:
                verb = "completed" if d else "has completed"
                s = f"{o} {verb} its acquisition of {target}{d}."
        elif shape < 16:
            cat = "organisation"
            a, b = rng.sample(TEAM_AREAS, 2)
            if shape == 15 and self.once("lab"):
                city = rng.choice(CITIES)
                subject = self.claim(f"{city} research lab")
                s = f"{o} has set up a new research lab in {city} focused on {a}{_comma(d)}."
            else:
                subject = self.subject(lambda: f"{self.brand()} {rng.choice(UNIT_TAILS)}")
                if shape == 13:
                    s = (
                        f"{o} said{d} it is merging its {a} and {b} teams into a new unit "
                        f"called {subject}."
                    )
                elif shape == 14:
                    s = f"{o} is forming a new organisation, {subject}, to house its {a} work."
                    date = NO_DATE
                else:
                    s = (
                        f"{o} is merging its {a} and {b} groups into a single division "
                        f"called {subject}."
                    )
                    date = NO_DATE
        elif shape < 19:
            cat = "infrastructure"
            place = rng.choice(CITIES + STATES)
            if shape != 17 and not self.once("data center"):
                shape = 17
            if shape == 16:
                subject = self.claim(f"{place} data center campus")
                s = f"{o} broke ground on a new data center campus in {place}{d}."
            elif shape == 17:
                subject = self.subject(lambda: f"Project {self.brand()}")
                who = self.surface(org) if d else o
                s = (
                    f"{_lead(date)}{who} unveiled {subject}, a supercomputer it is putting "
                    f"together in {place}."
                )
            else:
                gw = rng.choice(("1", "2", "3", "5"))
                subject = self.claim(f"{gw}-gigawatt {place} data center")
                s = f"{o} said{d} it will build a {gw}-gigawatt data center in {place}."
        else:
            cat = "event"
            date = _maybe(rng, 0.85, _upcoming, self.pub, self.known)
            city = rng.choice(CITIES)
            if rng.random() < 0.5 or not self.once("developer day"):
                subject = self.subject(lambda: f"{self.brand()} {rng.choice(EVENT_TAILS)}")
                when = date[0] or f"in {city}"
                s = f"{o} will host its annual developer conference, {subject}, {when}."
            else:
                subject = self.claim(f"first developer day in {city}")
                s = f"{o} will hold its first developer day in {city}{_sp(date)}."
        fields = {"org": org, "subject": subject, "category": cat}
        return s, [Gold("announcement", s, date, fields)]

    def _target(self, org: str) -> str:
        rng = self.rng
        if rng.random() < 0.4:
            other = self.other_org(INVESTEES, org)
            return self.surface(other)
        return f"{self.brand()} {rng.choice(STARTUP_TAILS)}"


INVESTEES = (
    "Anthropic", "Mistral AI", "Cohere", "Perplexity", "Scale AI", "Safe Superintelligence",
    "Thinking Machines Lab", "Hugging Face", "Databricks", "Character.AI", "Sakana AI",
    "Aleph Alpha", "Moonshot AI", "Zhipu AI", "Stability AI", "AI21 Labs", "CoreWeave", "Nebius",
)  # fmt: skip
BENCHES = ("coding", "math", "reasoning", "agentic", "long-context", "multilingual")
SIZES = ("small", "compact", "mid-sized", "lightweight", "large")
USES = (
    "software developers", "customer service", "enterprise search", "scientific research",
    "on-device tasks", "document analysis", "financial services",
)  # fmt: skip
PRODUCT_DESC = ("research", "coding", "shopping", "scheduling", "writing", "voice", "browsing")
AUDIENCES = ("analysts", "students", "small businesses", "lawyers", "doctors", "developers")
APP_DOES = (
    "summarises long documents",
    "turns meeting notes into action items",
    "answers questions about spreadsheets",
    "drafts replies to customer emails",
    "translates conversations in real time",
    "books travel on a user's behalf",
)
UNIT_TAILS = ("Labs", "Research", "Group", "Studio", "Division")
EVENT_TAILS = ("Live", "Connect", "Forum", "Week")
TEAM_AREAS = (
    "research", "product", "applied AI", "infrastructure", "safety", "consumer",
    "enterprise", "robotics", "devices", "platform",
)  # fmt: skip


STOP_WORDS = frozenset({"the", "a", "an", "its", "new", "of", "and", "s"})


def _words(subject: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", subject.lower())) - STOP_WORDS


def _overlap(a: set[str], b: set[str]) -> bool:
    """Whether two subjects could be taken for each other (a looser test than scoring's)."""
    return a <= b or b <= a or len(a & b) / len(a | b) >= 0.34


def _a(word: str) -> str:
    """ "a" or "an" before `word`."""
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _lower_ref(o: str) -> str:
    """ "The company" inside a sentence is "the company"."""
    return o[0].lower() + o[1:] if o in COMPANY_REFS else o


def _comma(d: str) -> str:
    return f",{d}" if d else ""


def _money(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"${rng.choice(('1', '1.5', '2', '2.5', '4', '5', '6', '8', '10', '14'))} billion"
    return f"${rng.choice((150, 200, 250, 300, 400, 500, 650, 750, 900))} million"


# Filler -------------------------------------------------------------------------------------
# Sentences with context but no extractable fact: no hire, release, investment, build or event
# verb near a name, and no count of chips that is a buildout. Per-server counts, revenue, power,
# headcount and share moves are fine: they are what the extractor must learn to ignore.
LISTED_AS = {"Google": "Alphabet"}  # the name its shares trade under
PUBLIC = frozenset(
    "Google Meta Microsoft Amazon Oracle CoreWeave Alibaba Baidu Tencent Apple Tesla Nebius "
    "Salesforce IBM Samsung".split()
)
FILLER: dict[str, tuple[str, ...]] = {
    "market": (
        "Spending on AI infrastructure has become the dominant theme of the earnings season, with the largest cloud providers guiding capital expenditure sharply higher.",
        "Some analysts warn that the pace of spending could outrun demand if adoption by large enterprises stalls.",
        "Others argue that the cost of serving AI models is falling so quickly that usage will keep climbing for years.",
        "Pricing for rented GPU capacity has come down from its peak as more supply reaches the market.",
        "The hourly cost of renting a top-end accelerator has roughly halved since early last year, according to brokers that track the market.",
        "Cloud providers are competing to lock in long-term contracts with the biggest model developers.",
        "Venture capital flowing into AI startups reached {bigmoney} in the most recent quarter, according to industry data.",
        "The market for AI accelerators remains dominated by Nvidia, whose data center revenue has grown more than {fold}-fold in two years.",
        "Demand for high-bandwidth memory has outstripped supply for several quarters, lifting prices for SK Hynix, Samsung and Micron.",
        "Capital expenditure at the four biggest US cloud companies is on course to exceed {capex} this year, by most analyst estimates.",
        "Smaller cloud companies that rent out GPUs have grown quickly, though several carry heavy debts.",
        "The scramble for computing power has turned a handful of chip and memory suppliers into some of the most valuable companies in the world.",
        "Wall Street has so far rewarded the spending, but investors are watching closely for signs of returns.",
        "Debt markets have become an important source of money for data center developers, who often borrow against long-term leases.",
        "The gap between what companies spend on AI hardware and what they earn from AI products remains wide.",
        "Corporate buyers have moved from small pilots to larger contracts, though many remain cautious about cost.",
        "Second-hand accelerators from earlier generations now change hands at steep discounts.",
        "Price cuts for access to frontier models have become routine, squeezing margins for everyone selling them.",
        "A growing share of AI spending now goes to running models for customers rather than developing new ones.",
    ),
    "stock": (
        "Shares of {listed} {moved} {pct} in {session} trading.",
        "{listed} shares have {moved2} {pct2} so far this year, {versus} the Nasdaq Composite.",
        "The stock {moved} {pct} on the news before paring some of the move.",
        "{listed} reported revenue of {revenue} for the quarter, up {pct2} from a year earlier.",
        "Operating margins narrowed by {points} percentage points as depreciation costs rose.",
        "The company's market value has swung by tens of billions of dollars on single trading days this year.",
        "{listed}'s capital expenditure for the year is expected to top {capex}, according to its latest guidance.",
        "Depreciation on servers and networking gear has become one of the fastest-growing costs on {listed}'s income statement.",
        "Options traders have been positioning for bigger swings in {listed}'s stock ahead of its next earnings report.",
    ),
    "private": (
        "{main} is privately held and discloses little about its finances.",
        "{main} was last valued at {valuation} by its private backers, according to people familiar with its finances.",
        "{main}'s annualised revenue has climbed quickly, though it still spends far more than it takes in.",
        "The company's investors include several large technology groups and sovereign wealth managers.",
        "{main} has told its backers that it does not expect to turn a profit for several more years.",
        "Its valuation has risen several-fold in little more than a year, reflecting investor appetite for frontier labs.",
        "{main} remains heavily dependent on its cloud partners for computing capacity.",
    ),
    "analyst": (
        '"{quote}," said {analyst}, {analyst_role} at {firm}.',
        '"{quote}," {analyst} of {firm} wrote in a note to clients.',
        "{firm} analyst {analyst} said the figures suggest demand is still running ahead of supply.",
        '"{quote}," said {analyst}, who follows the sector for {firm}.',
        "{analyst}, {analyst_role} at {firm}, said {claim}.",
        "In a research note, {firm} said {claim}.",
        "{analyst} of {firm} said {claim}.",
        '"{quote}," {analyst} said in an interview.',
        "According to {analyst} at {firm}, {claim}.",
    ),
    "background": (
        "{main} has spent much of the past two years trying to close the gap with better-resourced rivals.",
        "The company's leadership has repeatedly told staff that access to computing power is its most important strategic asset.",
        "Executives at {main} have described the next two years as decisive for the company.",
        "Internally, the effort is seen as a test of whether {main} can compete at the frontier without depending on a single supplier.",
        "{main} counts several of the world's largest companies among its customers.",
        "Much of {main}'s recent progress has come from improvements in post-training rather than raw scale.",
        "People who have worked with {main}'s research group describe a culture that prizes speed over polish.",
        "{main} has not disclosed how much it spends on computing each year.",
        "The shift reflects a broader push at {main} toward owning more of the hardware it depends on.",
        "{rival} and {rival2} have each outlined spending plans of a similar scale.",
        "{rival} has taken a different approach, relying more heavily on chips designed in-house.",
        "The rivalry between {main} and {rival} has intensified as both chase the same enterprise customers.",
        "{main}'s strategy has shifted several times as the economics of the industry have changed.",
        "Critics inside and outside {main} have questioned whether its priorities are too scattered.",
        "{main} has long argued that scale is the surest route to better models.",
        "For {main}, the stakes are as much about reputation as revenue.",
        "{main} was slower than some rivals to commit to large-scale infrastructure.",
        "The decision follows months of internal debate at {main} about how much to spend and where.",
    ),
    "regulation": (
        "Regulators in Brussels are still working out how the EU's AI Act will apply to general-purpose models.",
        "US export controls bar the sale of the most advanced accelerators to Chinese customers, and the rules have been tightened several times since they were first imposed.",
        "The Federal Trade Commission is examining whether cloud partnerships give the largest tech companies too much sway over AI startups.",
        "Competition authorities in Britain and Europe have asked for more information about several recent deals between big tech companies and AI labs.",
        "State utility regulators are weighing who should pay for the grid upgrades that large data centers require.",
        "Copyright lawsuits from authors, artists and news publishers remain unresolved, and their outcome could reshape how models are developed.",
        "China's regulators require generative AI services to pass a security review before they reach the public.",
        "Officials in {state} have offered tax breaks to attract data center projects, though local opposition over water use is growing.",
        "Lawmakers have pressed executives for details about the energy and water footprint of AI data centers.",
        "Several US states are considering rules that would require disclosure of how automated systems make lending decisions.",
        "Privacy regulators in Europe have questioned how personal data ends up in training sets.",
        "Some local councils have paused approvals for new server farms until they can study the effect on the grid.",
        "Trade officials have warned that chips routed through third countries could undermine the export rules.",
    ),
    "supply": (
        "Power has become the binding constraint for many data center projects, with some developers waiting years for a grid connection.",
        "Several operators are turning to on-site gas turbines and long-term nuclear contracts to secure electricity.",
        "Taiwan Semiconductor Manufacturing Co. still makes nearly all of the world's most advanced AI chips.",
        "Advanced packaging capacity, rather than wafer supply, has limited accelerator output for much of the past year.",
        "Lead times for large power transformers now stretch beyond two years in some markets.",
        "Cooling is another constraint: the newest racks draw so much power that they require liquid cooling.",
        "A facility of that size can draw as much electricity as {homes} homes.",
        "Water use has become a flashpoint in dry regions where several large campuses are planned.",
        "Memory makers have said their high-bandwidth output is sold out well into next year.",
        "Shortages of skilled electricians have slowed construction at several large sites.",
        "Utilities in {state} have revised their demand forecasts sharply upward because of data center requests.",
    ),
    "numbers": (
        "Each server carries eight GPUs, linked by high-speed networking into larger pods.",
        "The newest rack-scale systems wire 72 GPUs together so that they behave like a single accelerator.",
        "A single rack of the latest hardware can draw more than {kw} kilowatts.",
        "The flagship model has roughly {params} billion parameters, according to its technical report.",
        "The largest models now cost hundreds of millions of dollars in computing time to develop.",
        "The company employs about {staff} people, roughly a third of them in research.",
        "Its consumer app now counts more than {users} million weekly users.",
        "The campus is expected to cover more than {acres} acres once complete.",
        "A {job}-GPU training run of that kind can tie up a cluster for months.",
        "Networking gear now accounts for roughly {pct2} of the cost of a large cluster.",
        "Inference costs fell by {pct2} over the past year, according to internal figures.",
        "A TPU pod of 9,216 chips can be programmed as a single machine.",
        "A typical node holds four accelerators and two CPUs.",
        "At list prices, a single top-end accelerator sells for between $30,000 and $40,000.",
        "Each of the new server trays packs four GPUs and two Grace CPUs.",
        "Power for a large campus is now measured in gigawatts rather than megawatts.",
    ),
    "talent": (
        "Pay packages for senior AI researchers have climbed sharply, with some offers reported in the tens of millions of dollars.",
        "Competition for experienced infrastructure engineers is nearly as fierce as the race for top researchers.",
        "Several labs have tightened non-solicitation clauses in employment contracts.",
        "The pool of people with experience at the largest scale is small, by most estimates.",
        "Retention bonuses and accelerated stock vesting have become common tools to keep key staff.",
        "Researchers say mission and access to computing power matter to them as much as pay.",
        "Turnover among senior staff has become a closely watched signal of a lab's health.",
        "Recruiters say the most sought-after candidates field several competing offers at once.",
    ),
    "tech": (
        "Benchmarks remain an imperfect guide to how models perform on real work, and labs increasingly publish their own evaluations.",
        "Developers have gravitated toward models that are cheaper to run, even when they trail the leaders on headline scores.",
        "Reasoning models, which spend more computation at inference time, have shifted some demand from training clusters to serving capacity.",
        "Open-weight models from Chinese labs have narrowed the gap with proprietary systems over the past year.",
        "Enterprise customers say reliability and data controls matter more to them than raw benchmark gains.",
        "Coding assistants have emerged as one of the few categories where customers are paying at scale.",
        "Researchers disagree about how much further simply scaling up data and computation can carry current techniques.",
        "Synthetic data now makes up a growing share of what labs feed their systems.",
        "Agents that take actions on a user's behalf remain unreliable on long, multi-step tasks.",
        "Smaller distilled models now match the quality that required far larger systems two years ago.",
    ),
    "closer": (
        "{main} did not respond to a request for comment.",
        "Representatives for {main} declined to comment.",
        "{main} declined to comment beyond its statement.",
        "A spokesperson for {main} declined to comment on the figures.",
        "The company did not say how the figures were calculated.",
        "{main} did not immediately respond to questions about its plans.",
    ),
}
ANALYST_QUOTES = (
    "Nobody wants to be the company that fell behind in the most important technology shift in a generation",
    "The numbers are staggering, but so is the demand we are seeing from enterprise customers",
    "The question is no longer whether these companies will spend, but whether they can get the power",
    "We think the market is underestimating how long this cycle lasts",
    "Margins will come under pressure before they improve",
    "Every quarter the spending estimates go up, and every quarter they turn out to be too low",
    "This is an arms race in which the weapons depreciate in three years",
    "The bottleneck has shifted from chips to electricity and permitting",
    "Talent, not hardware, is the scarcest input right now",
    "What matters is who can turn research into products people pay for",
    "The gap between the leading labs and everyone else is narrowing, not widening",
    "It is hard to model returns on infrastructure whose useful life nobody really knows",
    "Customers are still figuring out where this technology saves them money",
    "You cannot win this race on a shoestring",
    "There is a real risk that some of this capacity sits idle",
    "The winners will be the ones with cheap power and patient shareholders",
)
ANALYST_CLAIMS = (
    "the spending reflects fear of missing out as much as any clear business case",
    "margins are likely to stay under pressure for several more quarters",
    "access to electricity, not chips, will decide who leads over the next few years",
    "the biggest buyers are unlikely to slow down while their rivals keep spending",
    "pricing for AI services will keep falling as competition intensifies",
    "enterprise demand looks durable but uneven across industries",
    "the useful life of AI hardware may be shorter than accounting rules assume",
    "the market is rewarding scale and punishing anyone who looks undecided",
    "the industry is entering a phase where efficiency matters more than raw size",
    "smaller labs will struggle to keep pace without a deep-pocketed partner",
    "the real test will come when customers renew their first large contracts",
    "supply of advanced memory remains the tightest link in the chain",
)
ANALYST_ROLES = (
    "an analyst", "a senior analyst", "a semiconductor analyst", "a partner",
    "head of technology research", "a managing director", "a research director",
)  # fmt: skip
FIRMS = (
    "Kestrel Research", "Marlowe Securities", "Halden Capital Markets", "Brightwater Advisory",
    "Northgate Research", "Ostrander Group", "Veldt Partners", "Corbin Hale Securities",
    "Ashgrove Research", "Pemberton Equity Research", "Larchmont Advisors", "Tidewater Analytics",
    "Fenwick Street Research", "Calloway Securities", "Redfern Insights", "Bellhaven Research",
)  # fmt: skip
# Compositional filler: actor + verb + object + tail, for sentences that rarely repeat.
# Compositional filler: (actors, predicates) groups whose every pairing makes sense.
COMPOSED = (
    (
        (
            "Cloud providers",
            "Data center developers",
            "Colocation operators",
            "Real estate investors",
            "Hyperscale operators",
        ),
        (
            "are scrambling to secure long-term power contracts",
            "are paying up for land near transmission lines",
            "are competing for sites with spare grid capacity",
            "are struggling to find experienced electricians",
            "have started ordering liquid-cooling equipment years in advance",
            "are negotiating directly with utilities for dedicated substations",
            "have grown wary of markets where water is scarce",
        ),
    ),
    (
        (
            "Chipmakers",
            "Memory makers",
            "Packaging houses",
            "Equipment suppliers",
            "Contract manufacturers",
        ),
        (
            "are adding advanced packaging capacity as fast as they can",
            "report order backlogs stretching well into next year",
            "have raised prices for their most advanced parts",
            "are struggling to keep up with demand for high-bandwidth memory",
            "have warned customers about longer lead times",
        ),
    ),
    (
        (
            "Enterprise buyers",
            "Smaller AI labs",
            "University researchers",
            "Startup founders",
            "Corporate IT departments",
        ),
        (
            "complain that access to top-end hardware remains uneven",
            "are shifting work to cheaper open-weight models",
            "increasingly rent capacity by the hour rather than sign long contracts",
            "have become more cautious about committing to a single model provider",
            "say the cost of running models matters more than benchmark scores",
        ),
    ),
)
TAILS = (
    "", ", according to industry executives", ", executives say", " as demand keeps rising",
    ", though prices have started to ease", " in several regions", ", people in the industry say",
    " after a year of rapid growth",
)  # fmt: skip
INTROS = ("", "", "Meanwhile, ", "At the same time, ", "For now, ", "Still, ", "In recent months, ")
METRICS = (
    "Spot prices for rented accelerators", "Average wait times for grid connections",
    "Contract prices for high-bandwidth memory", "Vacancy rates in major data center markets",
    "Construction costs per megawatt", "Shipments of liquid-cooling systems",
    "Average salaries for machine learning engineers", "Prices charged per million tokens",
)  # fmt: skip
CHANGES = ("rose", "fell", "climbed", "dropped", "jumped", "slipped")
PERIODS = ("in the past quarter", "over the past year", "since January", "in the last six months")
STAT_SOURCES = (
    "according to a broker survey", "according to industry data", "by one estimate",
    "according to a trade group", "according to a consultancy that tracks the market",
)  # fmt: skip


def _composed(art: Article, topic: str) -> str | None:
    """A sentence assembled from parts, for the topics that have them."""
    rng = art.rng
    if topic in ("market", "supply"):
        if rng.random() < 0.5:
            actors, predicates = rng.choice(COMPOSED)
            actor, intro = rng.choice(actors), rng.choice(INTROS)
            actor = actor if not intro else actor[0].lower() + actor[1:]
            return f"{intro}{actor} {rng.choice(predicates)}{rng.choice(TAILS)}."
        metric, change, period = rng.choice(METRICS), rng.choice(CHANGES), rng.choice(PERIODS)
        return f"{metric} {change} {rng.randint(4, 45)}% {period}, {rng.choice(STAT_SOURCES)}."
    return None


def _rival(art: Article) -> str:
    while True:
        org = art.rng.choice(MAIN_ORGS)
        if org != art.main:
            return art.surface(org)


def _pick(*options: str):
    return lambda art: art.rng.choice(options)


# Slot name -> how to fill it; only the slots a template names are drawn.
SLOTS = {
    "main": lambda art: art.surface(art.main),
    "listed": lambda art: LISTED_AS.get(art.main, ORGS[art.main][0]),
    "rival": _rival,
    "rival2": _rival,
    "bigmoney": lambda art: f"${art.rng.randint(12, 60)} billion",
    "capex": lambda art: f"${art.rng.choice((150, 200, 250, 300, 350, 400))} billion",
    "revenue": lambda art: f"${art.rng.randint(5, 95)}.{art.rng.randint(1, 9)} billion",
    "valuation": lambda art: f"${art.rng.choice((5, 12, 20, 30, 61, 90, 150, 183, 300))} billion",
    "fold": _pick("three", "four", "five", "six"),
    "moved": _pick("rose", "fell", "climbed", "slipped", "gained", "dropped"),
    "moved2": _pick("risen", "fallen", "climbed", "slipped", "gained"),
    "pct": lambda art: f"{art.rng.randint(1, 9)}.{art.rng.randint(0, 9)}%",
    "pct2": lambda art: f"{art.rng.randint(5, 60)}%",
    "points": _pick("two", "three", "four"),
    "session": _pick("morning", "afternoon", "early", "late", "after-hours"),
    "versus": _pick("outpacing", "trailing", "roughly in line with"),
    "quote": lambda art: art.rng.choice(ANALYST_QUOTES),
    "claim": lambda art: art.rng.choice(ANALYST_CLAIMS),
    "analyst": lambda art: art.person(),
    "analyst_role": lambda art: art.rng.choice(ANALYST_ROLES),
    "firm": lambda art: art.rng.choice(FIRMS),
    "state": lambda art: art.rng.choice(STATES),
    "homes": lambda art: f"{art.rng.choice((300, 450, 600, 750, 900))},000",
    "kw": _pick("120", "130", "150"),
    "params": _pick("70", "140", "400", "671", "1,000"),
    "staff": lambda art: f"{art.rng.randint(1, 9)},{art.rng.choice(('000', '200', '500', '800'))}",
    "users": _pick("50", "100", "200", "400", "700"),
    "acres": _pick("500", "1,000", "1,200", "2,000"),
    "job": _pick("16,384", "32,768", "24,000"),
}


@cache
def _slot_names(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _fill(template: str, art: Article) -> str:
    """A filler template with its slots filled."""
    names = _slot_names(template)
    if not names:
        return template
    values = {name: SLOTS[name](art) for name in names}
    while "rival2" in values and values["rival2"] == values["rival"]:
        values["rival2"] = _rival(art)
    return template.format(**values)


def _filler(art: Article, topic: str) -> str | None:
    """A filler sentence on `topic` not used before in this article, or None when used up."""
    rng = art.rng
    if rng.random() < 0.3:
        sentence = _composed(art, topic)
        if sentence and sentence not in art.used:
            art.used.add(sentence)
            return sentence
    fresh = [t for t in FILLER[topic] if t not in art.used]
    if not fresh:
        return None
    template = rng.choice(fresh)
    art.used.add(template)
    return _fill(template, art)


# Paragraph topics: the article's theme leads, the rest is the usual mix of a news story.
THEME_TOPICS = {
    "compute": ("supply", "numbers", "market", "supply"),
    "hire": ("talent", "background", "analyst", "talent"),
    "announcement": ("tech", "market", "background", "tech"),
}
BODY_TOPICS = ("market", "analyst", "background", "regulation", "supply", "tech", "talent")


def _topics(art: Article, theme: str) -> tuple[str, ...]:
    money = "stock" if art.main in PUBLIC else "private"
    return THEME_TOPICS[theme] + BODY_TOPICS + (money, "numbers")


SUBHEADS = (
    "The Race for Power", "What Comes Next", "Chips and Constraints", "A Crowded Field",
    "The Cost of Scale", "Regulators Take Note", "Why It Matters", "Behind the Numbers",
)  # fmt: skip
HEADLINES = {
    "compute": (
        "{main} Steps Up Its Bet on AI Computing Power",
        "{main} Races to Lock In More Chips",
        "Inside {main}'s Push for More Compute",
        "{main} Doubles Down on Data Centers",
        "The Chip Crunch Comes for {main}",
        "{main} Sets Out an Aggressive Hardware Roadmap",
        "How {main} Plans to Keep Up in the Compute Race",
    ),
    "hire": (
        "{main} Adds to Its Research Bench",
        "Talent War Heats Up Around {main}",
        "{main} Reshuffles Its AI Leadership",
        "Senior Researchers Change Sides as {main} Bulks Up",
        "The AI Talent Carousel Keeps Spinning at {main}",
    ),
    "announcement": (
        "{main} Broadens Its AI Lineup",
        "{main} Reshapes Its AI Organisation",
        "{main} Sharpens Its Strategy as Rivals Close In",
        "A Busy Week for {main}",
        "{main} Makes Its Next Move in the AI Race",
    ),
}
PUBLISHERS = (
    ("Silicon Ledger", "siliconledger.example"),
    ("The Compute Dispatch", "computedispatch.example"),
    ("Frontier Wire", "frontierwire.example"),
    ("Datacenter Daily", "datacenterdaily.example"),
    ("The Model Report", "modelreport.example"),
    ("Circuit & Capital", "circuitcapital.example"),
)
NAV = (
    "Home", "AI", "Chips", "Cloud", "Policy", "Startups", "Markets", "Newsletters", "Podcasts",
)  # fmt: skip
# Script text the reader must drop: if it leaked into the article text it would add facts.
SCRIPT_JUNK = (
    'window.__TRENDING__ = ["Rival lab plans to deploy 900,000 H100 GPUs by 2027", '
    '"Jane Placeholder has joined OpenAI as chief scientist"];',
    'var related = {"headline": "Meta unveiled Llama 99, its biggest model yet"};',
    "document.querySelectorAll('.ad-slot').forEach(function (el) { el.hidden = true; });",
)


# Assembling an article ------------------------------------------------------------------------
@dataclass
class Built:
    """One generated article: file stem and suffix, file text, sidecar and planted facts."""

    stem: str
    suffix: str
    content: str  # file text
    sidecar: dict | None
    golds: list[Gold]


_ORG_COUNT_RE = re.compile(
    r"(?<![\w.\-])(?:"
    + "|".join(
        re.escape(s) for s in sorted({s for v in ORGS.values() for s in v}, key=len, reverse=True)
    )
    + r")(?![\w]|-(?:based|backed)\b)"
)
_SURFACE_TO_ORG = {s: name for name, surfaces in ORGS.items() for s in surfaces}


def _dominates(text: str, main: str) -> bool:
    """Whether `main` is named more often than any other non-vendor organisation."""
    counts = Counter(_SURFACE_TO_ORG[m.group()] for m in _ORG_COUNT_RE.finditer(text))
    best_other = max((c for o, c in counts.items() if o != main and o not in VENDORS), default=0)
    return counts[main] > best_other


def build_article(seed: int, i: int) -> Built:
    """Article number `i` of the corpus for `seed`, from its own random stream."""
    rng = random.Random(f"agi-tracker-corpus/{seed}/{i}")
    main = rng.choice(MAIN_ORGS)
    span = (LAST_PUB - FIRST_PUB).days
    pub = FIRST_PUB + dt.timedelta(days=rng.randrange(span + 1))
    roll = rng.random()
    fmt = "txt" if roll < 0.85 else "md" if roll < 0.95 else "html"
    has_sidecar = rng.random() < 0.85
    dateline = not has_sidecar and rng.random() < 0.6
    html_meta = fmt == "html" and not has_sidecar and not dateline and rng.random() < 0.5
    known = has_sidecar or dateline or html_meta
    art = Article(rng, pub, known, main)

    theme = rng.choice(KINDS)
    n_facts = rng.choice((2, 3, 3, 4, 4, 5, 6))
    kinds = [theme if rng.random() < 0.6 else rng.choice(KINDS) for _ in range(n_facts)]
    planted: list[tuple[str, list[Gold]]] = []
    for j, kind in enumerate(kinds):
        own = j == 0 or rng.random() < 0.6
        org = main if own else art.other_org(_ORG_POOL[kind], main)
        planted.append(getattr(art, kind)(org))
        art.refs_ok = True

    target = min(MAX_BYTES - 400, max(MIN_BYTES + 200, int(rng.gauss(3800, 900))))
    n_paras = max(3, min(8, round(target / 620) + rng.choice((-1, 0, 0, 1))))
    paras: list[list[str]] = [[] for _ in range(n_paras)]
    lede_fact = rng.random() < 0.7
    for j, (sentence, _) in enumerate(planted):
        k = 0 if j == 0 and lede_fact else rng.randrange(1, n_paras)
        paras[k].append(sentence)
    topics = _topics(art, theme)
    paras[0].append(_filler(art, THEME_TOPICS[theme][0]) or _filler(art, "background") or "")
    if not lede_fact:
        paras[0].insert(0, _filler(art, "background") or "")
    per_para = (target - 200) / n_paras
    topic = THEME_TOPICS[theme][0]
    for p in paras[1:]:
        # One topic per paragraph, so a paragraph reads as one thought.
        topic = rng.choice([t for t in topics if t != topic])
        length = sum(len(s) + 1 for s in p)
        while length < per_para:
            sentence = _filler(art, topic) or _filler(art, rng.choice(topics))
            if sentence is None:
                break
            p.insert(rng.randrange(len(p) + 1) if rng.random() < 0.5 else len(p), sentence)
            length += len(sentence) + 1
    paras[-1].append(_filler(art, "closer") or "")
    paras = [[s for s in p if s] for p in paras]

    headline = rng.choice(HEADLINES[theme]).format(main=art.surface(main))
    # Top up a short article (a few extra sentences at most).
    size = sum(len(s.encode()) + 1 for p in paras for s in p)
    for _ in range(60):
        if size >= target - 150:
            break
        sentence = _filler(art, rng.choice(topics))
        if sentence:
            paras[rng.randrange(1, n_paras)].append(sentence)
            size += len(sentence.encode()) + 1
    # "The company" points at the main organisation, so it has to be named most often.
    refers = any(ref in s or ref.lower() in s for s, _ in planted for ref in COMPANY_REFS)
    for _ in range(8 if refers else 0):
        if _dominates(headline + "\n" + _join(paras), main):
            break
        paras[rng.randrange(1, n_paras)].append(_fill(rng.choice(_MAIN_FILLERS), art))
    # Trim a long article; planted sentences and mentions of the main organisation stay.
    keep = {s for s, _ in planted}
    names = ORGS[main]
    while len(_join(paras).encode()) > MAX_BYTES - 250:
        spare = [(p, j) for p in paras for j, s in enumerate(p) if s not in keep and len(p) > 1]
        spare = [(p, j) for p, j in spare if not any(n in p[j] for n in names)]
        if not spare:
            break
        p, j = max(spare, key=lambda pj: len(pj[0]))
        p.pop(j)

    publisher, domain = rng.choice(PUBLISHERS)
    byline = _byline(art, publisher)
    dateline_text = _dateline(rng, pub) if dateline else None
    stem = f"{i:06d}-{_slug(main)}-{theme}"
    if fmt == "html":
        meta_date = pub if html_meta else None
        content = _render_html(rng, headline, byline, dateline_text, paras, publisher, meta_date)
    else:
        content = _render_text(rng, fmt, headline, byline, dateline_text, paras)
    sidecar = None
    if has_sidecar:
        slug = re.sub(r"[^a-z0-9]+", "-", headline.lower()).strip("-")
        sidecar = {
            "title": headline,
            "url": f"https://{domain}/{pub:%Y/%m/%d}/{slug}",
            "publisher": publisher,
            "published": pub.isoformat(),
        }
        if rng.random() < 0.1:
            del sidecar["url"]
    golds = [g for _, gs in planted for g in gs]
    return Built(stem, fmt, content, sidecar, golds)


_ORG_POOL = {"compute": MAIN_ORGS, "hire": HIRE_ORGS, "announcement": MAIN_ORGS}
_MAIN_FILLERS = tuple(
    t for topic in ("background", "closer") for t in FILLER[topic] if "{main}" in t
)


def _join(paras: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paras)


def _slug(org: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", org.lower()).strip("-")


def _byline(art: Article, publisher: str) -> str:
    """ "By A", "By A and B" or "<Publisher> staff": names that must not become facts."""
    rng = art.rng
    roll = rng.random()
    if roll < 0.5:
        return f"By {art.person()}"
    if roll < 0.7:
        return f"By {art.person()} and {art.person()}"
    return f"{publisher} staff"


def _dateline(rng: random.Random, pub: dt.date) -> str:
    """A line near the top that gives the publication date when there is no sidecar."""
    day = f"{MONTH_NAMES[pub.month - 1]} {pub.day}, {pub.year}"
    return rng.choice(
        (
            f"{WEEKDAY_NAMES[pub.weekday()]} {day}",
            f"{WEEKDAY_NAMES[pub.weekday()]}, {day}",
            f"Published {day}",
            f"Updated: {day}",
            f"{pub.day} {MONTH_NAMES[pub.month - 1]} {pub.year}",
        )
    )


def _render_text(
    rng: random.Random,
    fmt: str,
    headline: str,
    byline: str,
    dateline: str | None,
    paras: list[list[str]],
) -> str:
    """A plain-text or markdown article (markdown gets # headings and an italic byline)."""
    lines = [f"# {headline}" if fmt == "md" else headline, ""]
    if dateline:
        lines += [dateline, ""]
    if rng.random() < 0.6:
        lines += [f"*{byline}*" if fmt == "md" else byline, ""]
    sub_at = rng.randrange(2, len(paras)) if fmt == "md" and len(paras) > 3 else None
    for k, p in enumerate(paras):
        if k == sub_at:
            lines += [f"## {rng.choice(SUBHEADS)}", ""]
        lines += [" ".join(p), ""]
    return "\n".join(lines)


def _render_html(
    rng: random.Random,
    headline: str,
    byline: str,
    dateline: str | None,
    paras: list[list[str]],
    publisher: str,
    meta_date: dt.date | None,
) -> str:
    """A news page: the article among navigation, an ad slot and scripts the reader drops."""
    esc = html.escape
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(headline)} | {esc(publisher)}</title>",
    ]
    if meta_date:
        head.append(f'<meta property="article:published_time" content="{meta_date}T08:00:00Z">')
    head += [
        f"<script>{rng.choice(SCRIPT_JUNK)}</script>",
        "<style>body { font-family: Georgia, serif; } .ad-slot { min-height: 250px; }</style>",
        "</head>",
    ]
    nav = " ".join(f'<a href="/{n.lower()}">{n}</a>' for n in rng.sample(NAV, 5))
    body = ["<body>", f"<nav>{nav}</nav>", "<article>", f"<h1>{esc(headline)}</h1>"]
    if dateline:
        body.append(f'<p class="dateline"><time>{esc(dateline)}</time></p>')
    body.append(f'<p class="byline">{esc(byline)}</p>')
    for k, p in enumerate(paras):
        body.append(f"<p>{esc(' '.join(p), quote=False)}</p>")
        if k == 1:
            body.append('<div class="ad-slot"><script>loadAd("mid-article");</script></div>')
    body += [
        "</article>",
        "<footer><p>Sign up for our newsletter.</p></footer>",
        f"<script>{rng.choice(SCRIPT_JUNK)}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(head + body) + "\n"


# Writing the corpus ---------------------------------------------------------------------------
def _gold_record(stem: str, g: Gold) -> dict:
    _, date, precision = g.date
    rec: dict = {
        "source": stem,
        "kind": g.kind,
        "quote": g.quote,
        "date": date.isoformat() if date else None,
        "date_precision": precision if date else None,
    }
    rec.update(g.fields)
    return rec


def generate(out_dir: Path, n: int, seed: int = 0) -> CorpusInfo:
    """Write `n` articles, their sidecars and `gold.jsonl` to `out_dir`; same seed, same bytes."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    gold_path = out_dir / GOLD_NAME
    facts: Counter = Counter()
    formats: Counter = Counter()
    total = 0
    with gold_path.open("w", encoding="utf-8", newline="\n") as gold:
        for i in range(n):
            art = build_article(seed, i)
            data = art.content.encode("utf-8")
            (out_dir / f"{art.stem}.{art.suffix}").write_bytes(data)
            if art.sidecar is not None:
                (out_dir / f"{art.stem}.meta.json").write_text(
                    json.dumps(art.sidecar, ensure_ascii=False) + "\n", "utf-8"
                )
            for g in art.golds:
                gold.write(json.dumps(_gold_record(art.stem, g), ensure_ascii=False) + "\n")
                facts[g.kind] += 1
            formats[art.suffix] += 1
            total += len(data)
    return CorpusInfo(
        n=n,
        bytes=total,
        gold=gold_path,
        facts={k: facts[k] for k in KINDS},
        formats=dict(formats),
        seconds=time.perf_counter() - t0,
    )


def main(argv: list[str] | None = None) -> int:
    """CLI: write a corpus and print a one-line summary."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.corpus", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("--n must be >= 0")
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty; choose a new folder")
    info = generate(args.out, args.n, args.seed)
    print(info.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
