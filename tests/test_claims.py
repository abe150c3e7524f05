"""Claims across articles, syndicated copies and conflicting reports, on small articles written
for these tests and built by the real build."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import duckdb
import pytest
from conftest import ROOT

from etl import claims
from etl.build import build

AGREE_1 = """Nimbus AI plans 200,000 GPUs

Nimbus AI plans to deploy 200,000 Nvidia H100 GPUs by the end of 2026, the company said on Monday.
The startup also hired Lena Okafor, formerly a research director at Google, as its chief scientist.
"""
AGREE_2 = """Nimbus AI's big cluster

In a filing this week, Nimbus AI said it expects to have 201,000 H100 GPUs by the end of 2026, a
figure analysts called ambitious. Nimbus AI hired Léna Okafor from Google earlier this year.
"""
# The same wire story as AGREE_1, republished with a different headline and a credit line.
COPY_OF_1 = """Nimbus AI to reach 200,000 GPUs

Nimbus AI plans to deploy 200,000 Nvidia H100 GPUs by the end of 2026, the company said on Monday.
The startup also hired Lena Okafor, formerly a research director at Google, as its chief scientist.
Reporting by the wire desk.
"""
DISAGREE = """Nimbus AI scales back

Nimbus AI now plans to deploy 150,000 Nvidia H100 GPUs by the end of 2026, people familiar with
the plan said. Lena Okafor has joined Orbital Labs from Google, the company said.
"""


def write(folder, name: str, text: str, published: str) -> None:
    (folder / f"{name}.txt").write_text(text)
    (folder / f"{name}.meta.json").write_text(json.dumps({"published": published}))


@pytest.fixture
def built(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    write(folder, "agree1", AGREE_1, "2026-03-02")
    write(folder, "agree2", AGREE_2, "2026-03-05")
    write(folder, "copy1", COPY_OF_1, "2026-03-03")
    write(folder, "disagree", DISAGREE, "2026-04-10")
    db = tmp_path / "t.duckdb"
    build(folder, db)
    return db


def query(db, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_a_syndicated_copy_is_linked_to_its_original_and_counts_once(built):
    assert query(built, "SELECT source_id, duplicate_of FROM sources ORDER BY source_id") == [
        ("agree1", None),
        ("agree2", None),
        ("copy1", "agree1"),
        ("disagree", None),
    ]
    (row,) = query(
        built,
        "SELECT quantity, status, date, support, sources, facts, first_seen, last_seen "
        "FROM claims WHERE kind = 'compute' AND quantity BETWEEN 195000 AND 205000",
    )
    # 200,000 and 201,000 are within 2%: one claim from three articles, two of them independent
    # (three facts: a headline that restates its body's count without the chip is that count).
    assert row == (200000, "planned", dt.date(2026, 12, 31), 2, 3, 3,
                   dt.date(2026, 3, 2), dt.date(2026, 3, 5))  # fmt: skip


def test_name_variants_are_one_person_and_one_hire_claim(built):
    rows = query(
        built,
        "SELECT person, to_org, from_org, support FROM claims WHERE kind = 'hire' ORDER BY to_org",
    )
    assert rows == [
        ("Lena Okafor", "Nimbus AI", "Google", 2),
        ("Lena Okafor", "Orbital Labs", "Google", 1),
    ]


def test_disagreeing_reports_are_conflicts_with_reasons(built):
    conflicts = query(built, "SELECT kind, reason FROM conflicts ORDER BY kind")
    assert conflicts == [
        ("compute", "Nimbus AI: 150,000 vs 200,000 GPUs planned for 2026"),
        ("hire", "Lena Okafor reported joining Nimbus AI and Orbital Labs within 180 days"),
    ]


def test_claims_command_prints_claims_and_conflicts_as_json_lines(built):
    def run(*extra: str) -> list[dict]:
        out = subprocess.run(
            [sys.executable, "-m", "etl", "claims", "--db", str(built), *extra],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        return [json.loads(line) for line in out.splitlines()]

    first = run()[0]
    assert first["kind"] == "compute" and first["quantity"] == 200000 and first["support"] == 2
    assert first["source_ids"] == ["agree1", "agree2", "copy1"] and len(first["fact_ids"]) == 3
    assert set(first) >= {"claim_id", "unit", "status", "date", "first_seen", "last_seen"}
    conflicts = run("--conflicts")
    assert [c["kind"] for c in conflicts] == ["compute", "hire"]
    assert all(len(c["claims"]) == 2 and c["conflict_id"] and c["reason"] for c in conflicts)


def row(fact_id, kind, **values):
    base = {"fact_id": fact_id, "source_id": fact_id[0], "kind": kind, "org": None,
            "date": None, "date_precision": None, "chip": None, "quantity": None, "unit": None,
            "status": None, "person": None, "from_org": None, "to_org": None, "role": None,
            "subject": None, "category": None}  # fmt: skip
    return {**base, **values}


def test_different_status_or_period_is_not_a_conflict():
    facts = [
        row("a1", "compute", org="X", quantity=100_000, unit="GPUs", status="operational",
            date=dt.date(2025, 12, 31), date_precision="year"),
        row("b1", "compute", org="X", quantity=200_000, unit="GPUs", status="planned",
            date=dt.date(2025, 12, 31), date_precision="year"),
        row("c1", "compute", org="X", quantity=300_000, unit="GPUs", status="planned",
            date=dt.date(2026, 12, 31), date_precision="year"),
    ]  # fmt: skip
    found, conflicts = claims.derive(facts, {})
    assert sorted(c.values["quantity"] for c in found) == [100_000, 200_000, 300_000]
    assert conflicts == []


def test_a_move_that_starts_where_another_ended_is_not_a_conflict():
    facts = [
        row("a1", "hire", person="Omar Haddad", to_org="Vela Labs", date=dt.date(2026, 5, 1),
            date_precision="month"),
        row("b1", "hire", person="Omar Haddad", from_org="Vela Labs", to_org="Kestrel AI",
            date=dt.date(2026, 6, 1), date_precision="month"),
        row("c1", "hire", person="Omar Haddad", to_org="Orbital Labs",
            date=dt.date(2026, 6, 15), date_precision="month"),
    ]  # fmt: skip
    found, conflicts = claims.derive(facts, {})
    assert len(found) == 3
    # Vela Labs then Kestrel AI is a sequence; Orbital Labs disagrees with both.
    assert sorted(c.reason for c in conflicts) == [
        "Omar Haddad reported joining Kestrel AI and Orbital Labs within 180 days",
        "Omar Haddad reported joining Vela Labs and Orbital Labs within 180 days",
    ]


def test_announcements_group_by_subject_and_conflict_on_dates():
    facts = [
        row("a1", "announcement", org="Meta", subject="Llama 3", date=dt.date(2024, 4, 18),
            date_precision="day"),
        row("b1", "announcement", org="Meta", subject="Meta's Llama 3 model",
            date=dt.date(2024, 4, 1), date_precision="month"),
        row("c1", "announcement", org="Meta", subject="Llama 3", date=dt.date(2024, 7, 23),
            date_precision="day"),
        row("d1", "announcement", org="Meta", subject="Llama 2"),
    ]  # fmt: skip
    found, conflicts = claims.derive(facts, {})
    by_facts = sorted((sorted(c.fact_ids), c.values["subject"]) for c in found)
    assert by_facts == [(["a1", "b1"], "Llama 3"), (["c1"], "Llama 3"), (["d1"], "Llama 2")]
    assert [c.reason for c in conflicts] == ["dates disagree beyond their precision"]


def test_person_ids_join_accents_initials_and_surnames_only_when_unambiguous():
    ids = claims.person_ids(["Shengjia Zhao", "Shéngjia Zhao", "S. Zhao", "Zhao", "Lucas Beyer"])
    assert ids == {
        "Shengjia Zhao": "shengjia zhao", "Shéngjia Zhao": "shengjia zhao",
        "S. Zhao": "shengjia zhao", "Zhao": "shengjia zhao", "Lucas Beyer": "lucas beyer",
    }  # fmt: skip
    two = claims.person_ids(["Ana Lee", "Bo Lee", "Lee"])
    assert two["Lee"] == "lee"  # two people called Lee: a surname alone is nobody in particular
