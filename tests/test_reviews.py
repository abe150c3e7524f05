"""Analyst reviews: an append-only log that survives rebuilds, cache loss and new extractors."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT

from etl import load, reviews
from etl.build import build

ARTICLE = """Nimbus AI plans 200,000 GPUs

Nimbus AI plans to deploy 200,000 Nvidia H100 GPUs by the end of 2026, the company said on Monday.
The startup also hired Lena Okafor, formerly a research director at Google, as its chief scientist.
It would also hire 150 engineers in Lisbon over the next year, the company said.
"""


@pytest.fixture
def setup(tmp_path, monkeypatch):
    log = tmp_path / "user-data" / "reviews.jsonl"
    monkeypatch.setenv("AGI_TRACKER_REVIEWS", str(log))
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "nimbus.txt").write_text(ARTICLE)
    db = tmp_path / "t.duckdb"
    build(folder, db)
    return folder, db, log


def facts(db) -> dict[str, tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT fact_id, kind, review_status, org, from_org, quantity, quote, extracted_values "
            "FROM facts ORDER BY fact_id"
        ).fetchall()
    return {r[0]: r[1:] for r in rows}


def fact_of(db, kind: str) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        ids = con.execute(
            "SELECT fact_id FROM facts WHERE kind = ? ORDER BY start_offset", [kind]
        ).fetchall()
    fid = ids[-1][0]
    row, sha = load.fact_for_review(db, fid)
    return {**row, "sha": sha}


def test_reviews_survive_rebuilds_no_cache_and_a_new_extractor_version(setup, monkeypatch):
    folder, db, log = setup
    hire = fact_of(db, "hire")
    compute = fact_of(db, "compute")  # one count: the headline restating it is the same fact
    reviews.record_review("correct", hire, hire["sha"], {"from_org": "Google DeepMind"}, "DeepMind")
    reviews.record_review("reject", compute, compute["sha"], note="no such plan was confirmed")
    sha, text = load.source_for_review(db, "nimbus")
    added = reviews.record_added_fact(
        "nimbus", sha, text, "announcement", "hire 150 engineers in Lisbon",
        {"org": "Nimbus AI", "subject": "150 engineers in Lisbon", "category": "organisation"},
    )  # fmt: skip

    def check() -> None:
        now = facts(db)
        assert now[hire["fact_id"]][1:4] == ("corrected", "Nimbus AI", "Google DeepMind")
        assert now[hire["fact_id"]][6] == "from_org=Google"  # the extracted value, kept beside
        assert now[compute["fact_id"]][1] == "rejected"
        assert now[added["fact_id"]][:3] == ("announcement", "added", "Nimbus AI")
        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM reviews WHERE NOT attached").fetchone() == (0,)
            # A rejected fact supports no claim.
            assert con.execute(
                "SELECT count(*) FROM claim_facts WHERE fact_id = ?", [compute["fact_id"]]
            ).fetchone() == (0,)

    build(folder, db)
    check()
    build(folder, db)  # incremental: the copy carried last build's reviews; nothing doubles
    check()
    assert len(facts(db)) == 3  # the count, the hire and the added fact
    build(folder, db, use_cache=False)
    check()
    monkeypatch.setattr("etl.build.EXTRACTOR_VERSION", "9.9.9-test")
    build(folder, db)
    check()


def test_a_review_reattaches_by_overlap_when_the_span_moves(setup):
    folder, db, log = setup
    hire = fact_of(db, "hire")
    reviews.record_review("verify", hire, hire["sha"])
    # The article is edited above the fact: the fact's id, offsets and sha all change.
    (folder / "nimbus.txt").write_text("UPDATED.\n" + ARTICLE)
    build(folder, db)
    moved = [v for v in facts(db).values() if v[0] == "hire"]
    assert [v[1] for v in moved] == ["verified"]


def test_reviews_that_attach_nowhere_are_orphaned_and_kept(setup):
    folder, db, log = setup
    hire = fact_of(db, "hire")
    reviews.record_review("reject", hire, hire["sha"])
    (folder / "nimbus.txt").write_text("Nothing about anyone any more.\n")
    build(folder, db)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT action, attached FROM reviews").fetchall() == [("reject", False)]
    out = subprocess.run(
        [sys.executable, "-m", "etl", "reviews", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "ORPHANED" in out and "1 orphaned" in out
    assert len(log.read_text().splitlines()) == 1  # never dropped


WRITER = """
import sys
from pathlib import Path
from etl import reviews
for i in range(50):
    reviews.append({"action": "verify", "fact_id": f"f{sys.argv[2]}-{i}", "note": "x" * 3000},
                   Path(sys.argv[1]))
"""


def test_concurrent_writers_lose_nothing(tmp_path):
    # Separate interpreters (not a multiprocessing pool: spawning from a test process in which
    # AppTest has run fails).
    path = tmp_path / "reviews.jsonl"
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(w)], cwd=ROOT)
        for w in range(4)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0]
    entries, warnings = reviews.read_log(path)
    assert warnings == []
    assert sorted(e["fact_id"] for e in entries) == sorted(
        f"f{w}-{i}" for w in range(4) for i in range(50)
    )


def test_a_torn_last_line_is_skipped_with_a_warning_and_nothing_else_is_lost(tmp_path):
    path = tmp_path / "reviews.jsonl"
    for i in range(3):
        reviews.append({"action": "verify", "fact_id": f"f{i}"}, path)
    with open(path, "ab") as handle:
        handle.write(b'{"action": "reject", "fact_id": "f9", "no')  # killed mid-write
    entries, warnings = reviews.read_log(path)
    assert [e["fact_id"] for e in entries] == ["f0", "f1", "f2"]
    assert warnings == [f"{path}:4: skipped a torn last line (a write cut short)"]
    reviews.append({"action": "verify", "fact_id": "f3"}, path)  # the next write starts clean
    entries, warnings = reviews.read_log(path)
    assert [e["fact_id"] for e in entries] == ["f0", "f1", "f2", "f3"]
    assert len(warnings) == 1 and "unreadable line" in warnings[0]


def test_the_latest_action_on_a_fact_wins_and_history_is_kept(setup):
    folder, db, log = setup
    hire = fact_of(db, "hire")
    reviews.record_review("reject", hire, hire["sha"])
    reviews.record_review("verify", hire, hire["sha"], note="on second reading, right")
    build(folder, db)
    assert facts(db)[hire["fact_id"]][1] == "verified"
    assert [json.loads(line)["action"] for line in log.read_text().splitlines()] == [
        "reject", "verify",
    ]  # fmt: skip


def test_review_command_line(setup):
    folder, db, log = setup
    hire = fact_of(db, "hire")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "etl", *args, "--db", str(db), "--seeds", str(folder)],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip

    done = run("review", hire["fact_id"], "--correct", "role=chief scientist", "--note", "title")
    assert done.returncode == 0, done.stderr
    assert facts(db)[hire["fact_id"]][1] == "corrected"
    bad = run("review", hire["fact_id"], "--correct", "quantity=-3")
    assert bad.returncode == 1 and "quantity must be a positive whole number" in bad.stderr
    missing = run("review", "--add", "--source", "nimbus", "--kind", "hire", "--quote",
                  "not in the article", "person=A B", "to_org=X")  # fmt: skip
    assert missing.returncode == 1 and "the quote is not in article nimbus" in missing.stderr
    added = run("review", "--add", "--source", "nimbus", "--kind", "compute", "--quote",
                "200,000 Nvidia H100 GPUs", "org=Nimbus AI", "quantity=200000")  # fmt: skip
    assert added.returncode == 0, added.stderr
    score = subprocess.run(
        [sys.executable, "-m", "etl", "score", "--reviews", "--db", str(db)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    lines = {line.split()[0]: line.split() for line in score.splitlines()[1:4]}
    assert lines["hire"][1:6] == ["1", "0", "1", "0", "1.00"]
    assert lines["compute"][-1] == "1"  # one fact added by an analyst


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (["date=2025-01-18"], {"date": dt.date(2025, 1, 18), "date_precision": "day"}),
        (["date=2025-01"], {"date": dt.date(2025, 1, 1), "date_precision": "month"}),
        (["date=2025"], {"date": dt.date(2025, 1, 1), "date_precision": "year"}),
        (
            ["date_precision=quarter", "date=2025-07"],
            {"date": dt.date(2025, 7, 1), "date_precision": "quarter"},
        ),
        (["quantity=16000", "unit=GPUs"], {"quantity": 16000, "unit": "GPUs"}),
    ],
)
def test_fields_are_typed_and_a_date_says_its_precision(pairs, expected):
    assert reviews.parse_fields(pairs) == expected


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (["date=2025-13"], "date='2025-13' is not a valid date (month must be in 1..12)"),
        (["quantity=-5"], "quantity must be a positive whole number"),
        (["colour=red"], "unknown field 'colour'"),
        (["unit=TPUs"], "unit must be one of GPUs, H100-equivalents, not 'TPUs'"),
    ],
)
def test_a_bad_field_is_refused_with_its_reason(pairs, message):
    with pytest.raises(reviews.ReviewError, match=re.escape(message)):
        reviews.parse_fields(pairs)
