"""Claims across articles, syndicated copies and conflicting reports, on small articles written
for these tests and built by the real build."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections import Counter

import duckdb
import pytest
from conftest import ROOT, table_rows

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


def test_a_name_without_latin_letters_is_a_person_of_its_own():
    facts = [
        row("a1", "hire", person="张伟", to_org="Moonshot AI", date=dt.date(2026, 5, 1),
            date_precision="month"),
        row("b1", "hire", person="张伟", to_org="Moonshot AI"),
        row("c1", "hire", person="李娜", to_org="Moonshot AI"),
    ]  # fmt: skip
    found, conflicts = claims.derive(facts, {})
    assert sorted((c.values["person"], c.fact_ids) for c in found) == [
        ("张伟", ["a1", "b1"]),
        ("李娜", ["c1"]),
    ]
    assert conflicts == []
    assert claims.block_of("hire", None, None, "张伟") != claims.block_of(
        "hire", None, None, "李娜"
    )


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


# --- incremental claims: a build that changed a few facts equals one that derives everything ---

CLAIM_TABLES = {
    "claims": "SELECT * FROM claims ORDER BY claim_id",
    "claim_facts": "SELECT * FROM claim_facts ORDER BY claim_id, fact_id",
    "conflicts": "SELECT * FROM conflicts ORDER BY conflict_id",
    "duplicates": "SELECT source_id, duplicate_of FROM sources ORDER BY source_id",
    "facts": "SELECT fact_id, review_status, org, to_org, quantity FROM facts ORDER BY fact_id",
}


def derived(db) -> dict[str, list[tuple]]:
    return table_rows(db, CLAIM_TABLES)


def assert_same_as_from_scratch(folder, db, tmp_path, step: str) -> dict:
    scratch = tmp_path / f"scratch-{step}.duckdb"
    build(folder, scratch, use_cache=False)
    ours, theirs = derived(db), derived(scratch)
    for name in CLAIM_TABLES:
        assert ours[name] == theirs[name], f"after {step}: table {name} differs"
    return ours


def test_incremental_claims_equal_claims_derived_from_scratch(tmp_path, monkeypatch):
    from bench.corpus import generate
    from etl import load, reviews

    monkeypatch.setenv("AGI_TRACKER_REVIEWS", str(tmp_path / "user-data" / "reviews.jsonl"))
    pool = tmp_path / "pool"
    generate(pool, 160, seed=11)
    folder = tmp_path / "articles"
    folder.mkdir()
    stems = sorted({p.name.split(".")[0] for p in pool.iterdir() if p.name != "gold.jsonl"})

    def take(names):
        for p in pool.iterdir():
            if p.name.split(".")[0] in names:
                shutil.copy(p, folder / p.name)

    take(stems[:120])
    write(folder, "agree1", AGREE_1, "2026-03-02")
    write(folder, "agree2", AGREE_2, "2026-03-05")
    db = tmp_path / "t.duckdb"
    build(folder, db)
    first = derived(db)
    assert sum(1 for c in first["claims"] if c[15] > 1) >= 5  # support: shared claims exist
    assert first["conflicts"], "the generated articles hold conflicting reports"

    # added articles, among them a syndicated copy and a disagreeing report
    take(stems[120:])
    write(folder, "copy1", COPY_OF_1, "2026-03-03")
    write(folder, "disagree", DISAGREE, "2026-04-10")
    result = build(folder, db)
    assert result.cached, "the second build reuses the unchanged sources"
    now = assert_same_as_from_scratch(folder, db, tmp_path, "adding")
    assert ("copy1", "agree1") in now["duplicates"]
    assert any("150,000 vs 200,000" in c[2] for c in now["conflicts"])

    # a deleted original (its copy becomes the original), a changed and a deleted article
    (folder / "agree1.txt").unlink()
    (folder / "agree1.meta.json").unlink()
    changed = folder / f"{stems[3]}.txt"
    if not changed.exists():
        changed = next(folder.glob(f"{stems[3]}.*"))
    changed.write_text(changed.read_text("utf-8") + "\n\nNimbus AI hired Lena Okafor.\n", "utf-8")
    for p in folder.glob(f"{stems[50]}.*"):
        p.unlink()
    build(folder, db)
    assert_same_as_from_scratch(folder, db, tmp_path, "deleting and changing")

    # reviews: reject a fact behind a shared claim, correct another's organisation, add one
    with duckdb.connect(str(db), read_only=True) as con:
        shared = con.execute(
            "SELECT cf.fact_id FROM claims c JOIN claim_facts cf USING (claim_id) "
            "WHERE c.support > 1 AND c.kind = 'hire' ORDER BY cf.fact_id LIMIT 1"
        ).fetchone()[0]
        other = con.execute(
            "SELECT fact_id FROM facts WHERE kind = 'compute' ORDER BY fact_id LIMIT 1"
        ).fetchone()[0]
    for fact_id, action, fields in (
        (shared, "reject", None),
        (other, "correct", {"org": "Orbital Labs"}),
    ):
        row, sha = load.fact_for_review(db, fact_id)
        reviews.record_review(action, row, sha, fields)
    sha, text = load.source_for_review(db, "disagree")
    reviews.record_added_fact(
        "disagree", sha, text, "compute", "150,000 Nvidia H100 GPUs",
        {"org": "Nimbus AI", "quantity": 200000, "unit": "GPUs", "chip": "H100"},
    )  # fmt: skip
    build(folder, db)
    reviewed = assert_same_as_from_scratch(folder, db, tmp_path, "reviewing")
    statuses = Counter(r[1] for r in reviewed["facts"])
    assert (statuses["rejected"], statuses["corrected"], statuses["added"]) == (1, 1, 1)

    # and taking a review back (the latest action wins) derives those blocks again
    row, sha = load.fact_for_review(db, shared)
    reviews.record_review("verify", row, sha)
    build(folder, db)
    assert_same_as_from_scratch(folder, db, tmp_path, "verifying")


def test_duplicates_after_a_change_equal_comparing_everything():
    """Random signatures with planted copies, copies of copies and bridges: after adding,
    replacing and removing articles, the incremental answer equals the full one."""
    import numpy as np

    rng = np.random.default_rng(5)

    def near(sig, share):  # a copy keeping about `share` of the signature
        out = sig.copy()
        redo = rng.random(len(sig)) > share
        out[redo] = rng.integers(0, 1 << 32, redo.sum(), dtype=np.uint64).astype(np.uint32)
        return out

    def random_sig():
        return rng.integers(0, 1 << 32, claims.MINHASH_PERMUTATIONS, dtype=np.uint64).astype(
            np.uint32
        )

    for trial in range(12):
        sigs = {f"a{i:03}": random_sig() for i in range(120)}
        names = list(sigs)
        for i in range(40):  # copies, and copies of copies (chains that a removal can break)
            base = sigs[names[rng.integers(len(names))]]
            sigs[f"c{i:03}"] = near(base, rng.choice([0.75, 0.85, 0.95]))
            names.append(f"c{i:03}")
        published = {
            sid: dt.date(2025, 1, 1) + dt.timedelta(days=int(rng.integers(400))) for sid in sigs
        }
        before = claims.duplicates(sigs, published)
        assert before, "planted copies are found"
        now = dict(sigs)
        changed = set()
        for sid in rng.choice(names, 6, replace=False):  # removed
            now.pop(sid, None)
            changed.add(sid)
        for sid in rng.choice(list(now), 3, replace=False):  # replaced by other text
            now[sid] = random_sig()
            changed.add(sid)
        for i in range(5):  # added: copies of what is there, and new text
            sid = f"n{trial}{i}"
            pick = list(now)[rng.integers(len(now))]
            now[sid] = near(now[pick], 0.9) if i % 2 else random_sig()
            published[sid] = dt.date(2024, 6, 1)  # earlier: it becomes its group's original
            changed.add(sid)
        full = claims.duplicates(now, published)
        assert claims.duplicates(now, published, before, changed) == full, f"trial {trial}"
