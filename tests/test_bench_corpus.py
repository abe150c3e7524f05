"""The synthetic benchmark corpus: deterministic, realistic in size and shape, and its gold is
exactly what the extractor should find (every planted fact quoted verbatim, nothing in filler)."""

from __future__ import annotations

import datetime as dt
import json
import re
import statistics
import sys
from pathlib import Path

import pytest
from scoring import load_gold, report, score

from etl.build import read_folder
from etl.entities import canonical_org, chip_table
from etl.extract import extract_source
from etl.model import PRECISIONS

# bench/ is a folder of tools, not an installed package: import it from the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.corpus import GOLD_NAME, KINDS, generate, main  # noqa: E402

N = 60
SEED = 11
RELATIVE = re.compile(
    r"this year|next year|last year|year-end|this month|next month|last month|yesterday"
    r"|on (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|earlier in [A-Z]"
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    info = generate(out, N, seed=SEED)
    read = read_folder([out])
    return out, info, read, load_gold(info.gold)


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(a, 15, seed=3)
    generate(b, 15, seed=3)
    generate(c, 15, seed=4)
    assert _files(a) == _files(b)
    assert _files(a)[GOLD_NAME] != _files(c)[GOLD_NAME]
    first_a = next(p for p in sorted(a.iterdir()) if p.name.startswith("000000-"))
    first_c = next(p for p in sorted(c.iterdir()) if p.name.startswith("000000-"))
    assert first_a.read_bytes() != first_c.read_bytes()


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path):
    generate(tmp_path / "small", 5, seed=9)
    generate(tmp_path / "large", 8, seed=9)
    small, large = _files(tmp_path / "small"), _files(tmp_path / "large")
    assert all(large[name] == data for name, data in small.items() if name != GOLD_NAME)
    assert large[GOLD_NAME].startswith(small[GOLD_NAME])


def test_every_article_is_read_and_its_text_is_two_to_six_kilobytes(corpus):
    out, info, read, _ = corpus
    assert len(read.sources) == N == info.n
    assert [o.path for o in read.skipped] == [str(out.resolve() / GOLD_NAME)]
    sizes = [s.byte_count for s in read.sources]
    assert 2000 <= min(sizes) and max(sizes) <= 6144, (min(sizes), max(sizes))
    assert 3300 <= statistics.mean(sizes) <= 4300
    assert info.bytes == sum(
        p.stat().st_size for p in out.iterdir() if p.suffix in (".txt", ".md", ".html")
    )


def test_formats_sidecars_and_datelines_are_mixed(tmp_path):
    generate(tmp_path, 200, seed=5)
    read = read_folder([tmp_path])
    formats = {s.format for s in read.sources}
    assert formats == {"txt", "markdown", "html"}
    by_format = {f: sum(s.format == f for s in read.sources) for f in formats}
    assert by_format["txt"] > by_format["markdown"] > by_format["html"] > 0
    origins = [s.published_from for s in read.sources]
    assert 0.75 <= origins.count("sidecar") / len(origins) <= 0.95
    assert "dateline" in origins and None in origins
    assert not [s.warnings for s in read.sources if s.warnings]
    for sidecar in tmp_path.glob("*.meta.json"):
        meta = json.loads(sidecar.read_text("utf-8"))
        assert set(meta) <= {"title", "url", "publisher", "published"}
        dt.date.fromisoformat(meta["published"])


def test_html_pages_lose_their_scripts_but_keep_title_and_quotes(corpus):
    out, _, read, gold = corpus
    pages = [s for s in read.sources if s.format == "html"]
    assert pages, "the fixture corpus should hold at least one HTML page"
    for page in pages:
        raw = (out / f"{page.source_id}.html").read_text("utf-8")
        assert "<script>" in raw and "window.__TRENDING__" not in page.text
        assert "Llama 99" not in page.text and "loadAd" not in page.text
        assert page.title


def test_every_gold_quote_is_verbatim_in_its_article(corpus):
    _, info, read, gold = corpus
    texts = {s.source_id: s.text for s in read.sources}
    assert len(gold) == sum(info.facts.values())
    assert {g["source"] for g in gold} == set(texts)
    for g in gold:
        assert g["quote"] in texts[g["source"]], g


def test_gold_fields_are_valid_and_canonical(corpus):
    _, info, _, gold = corpus
    chips = set(chip_table().names)
    assert {k: sum(g["kind"] == k for g in gold) for k in KINDS} == info.facts
    for g in gold:
        assert g["kind"] in KINDS
        assert (g["date"] is None) == (g["date_precision"] is None), g
        if g["date"]:
            dt.date.fromisoformat(g["date"])
            assert g["date_precision"] in PRECISIONS
        if g["kind"] == "compute":
            assert canonical_org(g["org"]) == g["org"]
            assert g["chip"] is None or g["chip"] in chips
            assert isinstance(g["quantity"], int) and g["quantity"] >= 100
            assert g["unit"] in ("GPUs", "H100-equivalents")
            assert g["unit"] == "GPUs" or g["chip"] == "H100"
            assert g["status"] in ("planned", "operational")
        elif g["kind"] == "hire":
            assert canonical_org(g["to_org"]) == g["to_org"] == g["org"]
            assert canonical_org(g["from_org"]) == g["from_org"] != g["to_org"]
            assert len(g["person"].split()) >= 2
        else:
            assert canonical_org(g["org"]) == g["org"]
            assert g["subject"]
            assert g["category"] in (
                "model", "product", "investment", "organisation", "infrastructure", "event"
            )  # fmt: skip
    # Each article's facts have distinct keys, so matching cannot pair the wrong ones.
    seen = set()
    for g in gold:
        key = (g["source"], g["kind"], g.get("quantity"), g.get("person"), g.get("subject"))
        assert key not in seen, g
        seen.add(key)


def test_deadlines_and_relative_dates_follow_the_publication_date(corpus):
    _, _, read, gold = corpus
    published = {s.source_id: s.published for s in read.sources}
    checked = 0
    for g in gold:
        pub = published[g["source"]]
        if pub is None:
            # Without a publication date only absolute dates are planted.
            assert not RELATIVE.search(g["quote"]), g
        elif "by the end of this year" in g["quote"] or "by year-end" in g["quote"]:
            assert g["date"] == f"{pub.year}-12-31" and g["date_precision"] == "year"
            checked += 1
        elif "by the end of next year" in g["quote"]:
            assert g["date"] == f"{pub.year + 1}-12-31"
            checked += 1
        elif "last month" in g["quote"]:
            first = (pub.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
            assert g["date"] == first.isoformat() and g["date_precision"] == "month"
            checked += 1
        if re.search(r"\bby the end of (\d{4})\b", g["quote"]):
            year = re.search(r"\bby the end of (\d{4})\b", g["quote"]).group(1)
            assert g["date"] == f"{year}-12-31"
            checked += 1
    assert checked >= 10


def test_the_extractor_recalls_the_planted_facts(corpus):
    _, _, read, gold = corpus
    predicted = [f.to_public() for s in read.sources[:40] for f in extract_source(s)]
    first = {s.source_id for s in read.sources[:40]}
    scores = score(predicted, [g for g in gold if g["source"] in first])
    print("\n" + report(scores))
    for kind, s in scores.items():
        assert s.tp >= 20, kind
        assert s.recall >= 0.95, (kind, s.misses)
        # Filler carries no facts, so nearly everything extracted is planted.
        assert s.precision >= 0.9, (kind, s.extras)


def test_cli_writes_a_corpus_and_prints_one_line(tmp_path, capsys):
    assert main(["--n", "4", "--seed", "2", "--out", str(tmp_path / "c")]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("4 articles"), lines
    assert (tmp_path / "c" / GOLD_NAME).is_file()
    with pytest.raises(SystemExit):
        main(["--n", "4", "--out", str(tmp_path / "c")])  # refuses a folder that is not empty
