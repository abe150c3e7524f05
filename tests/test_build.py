"""The database build: schema, grounded spans, atomic swap, history, and the CLI."""

import json
import os
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from conftest import ROOT, SEEDS

from etl import cli
from etl.build import build
from etl.load import connect


def run_cli(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def test_seeds_database_has_grounded_facts(seeds_db):
    con = connect(seeds_db, read_only=True)
    try:
        rows = con.execute(
            "SELECT f.quote, s.text, f.start_offset, f.end_offset FROM facts f JOIN sources s USING (source_id)"
        ).fetchall()
        kinds = dict(con.execute("SELECT kind, count(*) FROM facts GROUP BY kind").fetchall())
        views = {
            v: con.execute(f"SELECT count(*) FROM {v}").fetchall()[0][0]  # noqa: S608 - fixed names
            for v in ("compute_facts", "hire_facts", "announcement_facts")
        }
        runs = con.execute("SELECT sources_loaded, files_skipped, facts FROM etl_runs").fetchall()
        files = con.execute("SELECT status, count(*) FROM etl_files GROUP BY status").fetchall()
    finally:
        con.close()
    assert rows and all(text[s:e] == quote for quote, text, s, e in rows)
    assert kinds["compute"] == 5 and kinds["hire"] == 4 and kinds["announcement"] >= 7
    assert views == {
        "compute_facts": kinds["compute"],
        "hire_facts": kinds["hire"],
        "announcement_facts": kinds["announcement"],
    }
    assert runs == [(5, 0, sum(kinds.values()))]
    assert files == [("loaded", 5)]


def test_rebuild_gives_same_fact_ids_and_keeps_history(tmp_path):
    db = tmp_path / "t.duckdb"
    build(SEEDS, db)
    first = (
        duckdb.connect(str(db), read_only=True)
        .execute("SELECT fact_id FROM facts ORDER BY 1")
        .fetchall()
    )
    build(SEEDS, db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT fact_id FROM facts ORDER BY 1").fetchall() == first
    assert con.execute("SELECT count(*) FROM etl_runs").fetchall() == [(2,)]
    con.close()
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == [
        "t.duckdb"
    ]  # no temp file left behind


def test_failed_build_leaves_previous_database_intact(tmp_path, monkeypatch):
    db = tmp_path / "t.duckdb"
    build(SEEDS, db)
    before = db.read_bytes()

    import etl.load

    def broken(*_):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(etl.load, "_check_spans", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build(SEEDS, db)
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == ["t.duckdb"]


def test_stale_temp_file_from_a_dead_build_is_removed(tmp_path):
    db = tmp_path / "t.duckdb"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale = tmp_path / f".t.duckdb.tmp-{dead.stdout.strip()}"
    stale.write_bytes(b"half a database")
    build(SEEDS, db)
    assert not stale.exists()


def test_cli_build_prints_summary_and_exit_code_says_skips(tmp_path, seeds_copy):
    db = tmp_path / "cli.duckdb"
    ok = run_cli("build", "--seeds", str(seeds_copy), "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    assert "sources read: 5   skipped: 0" in ok.stdout
    assert "facts: compute 5, hire 4, announcement" in ok.stdout
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    skipped = run_cli("build", "--seeds", str(seeds_copy), "--db", str(db))
    assert skipped.returncode == 3, skipped.stderr
    assert "sources read: 5   skipped: 2" in skipped.stdout
    assert "skipped: " + str(seeds_copy / "empty.txt") + ": empty file" in skipped.stdout
    assert "binary file" in skipped.stdout
    con = duckdb.connect(str(db), read_only=True)
    reasons = con.execute(
        "SELECT reason FROM etl_files WHERE status = 'skipped' AND run_id = (SELECT run_id FROM etl_runs ORDER BY finished_at DESC LIMIT 1) ORDER BY path"
    ).fetchall()
    con.close()
    assert [r[0].split(" (")[0] for r in reasons] == ["binary file", "empty file"]


def test_cli_build_missing_folder_fails_clearly(tmp_path):
    r = run_cli("build", "--seeds", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 1 and "does not exist" in r.stderr


def test_cli_extract_prints_only_json_lines(tmp_path):
    r = run_cli("extract", "seeds/", "seeds/000_cff79e770d329dcf.txt")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    facts = [json.loads(line) for line in lines]
    texts = {p.stem: p.read_text("utf-8") for p in SEEDS.glob("*.txt")}
    shared = {"source", "kind", "quote", "start", "end", "org", "date", "date_precision"}
    per_kind = {
        "compute": {"chip", "quantity", "unit", "status"},
        "hire": {"person", "from_org", "to_org", "role"},
        "announcement": {"subject", "category"},
    }
    for f in facts:
        assert shared | per_kind[f["kind"]] <= set(f)
        assert texts[f["source"]][f["start"] : f["end"]] == f["quote"]
    # the file was named twice (in the folder and alone); it is read once
    assert (
        sum(1 for f in facts if f["source"] == "000_cff79e770d329dcf" and f["kind"] == "hire") == 1
    )
    compute = [f for f in facts if f["kind"] == "compute" and f["source"] == "000_cff79e770d329dcf"]
    assert [(f["quantity"], f["unit"], f["date"], f["date_precision"]) for f in compute] == [
        (350000, "GPUs", "2024-12-31", "year")
    ]


def test_cli_export_writes_every_table_with_safe_csv(tmp_path, seeds_db):
    out = tmp_path / "out"
    r = run_cli("export", "--format", "csv", "--out", str(out), "--db", str(seeds_db))
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "claim_facts.csv",
        "claims.csv",
        "conflicts.csv",
        "etl_files.csv",
        "etl_runs.csv",
        "facts.csv",
        "reviews.csv",
        "sources.csv",
    ]
    facts = pd.read_csv(out / "facts.csv", dtype=str, keep_default_na=False)
    assert len(facts) >= 16
    for col in facts.columns:
        assert not facts[col].str.startswith(("=", "+", "-", "@", "\t", "\r")).any(), col
    r = run_cli("export", "--format", "parquet", "--out", str(out), "--db", str(seeds_db))
    assert r.returncode == 0, r.stderr
    assert len(pd.read_parquet(out / "facts.parquet")) == len(facts)


def test_neutralise_formulas_prefixes_every_starter():
    from etl.export import neutralise_formulas

    frame = pd.DataFrame(
        {"a": ["=SUM(A1)", "+1", "-2", "@x", "\tt", "\rr", "plain", None], "n": range(8)}
    )
    out = neutralise_formulas(frame)
    assert out["a"].tolist()[:7] == ["'=SUM(A1)", "'+1", "'-2", "'@x", "'\tt", "'\rr", "plain"]
    assert out["a"].isna().tolist() == [False] * 7 + [True]
    assert out["n"].tolist() == list(range(8))


def test_an_empty_articles_folder_builds_an_empty_database(tmp_path):
    (tmp_path / "seeds").mkdir()
    result = build(tmp_path / "seeds", tmp_path / "empty.duckdb")
    assert result.facts == [] and result.read.sources == []
    con = connect(tmp_path / "empty.duckdb", read_only=True)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM etl_runs)"
        ).fetchall()
    finally:
        con.close()
    assert counts == [(0, 1)]


def test_build_reports_progress_lines_for_a_parent_process(tmp_path, capsys):
    assert cli.main(["build", "--seeds", str(SEEDS), "--db", str(tmp_path / "t.duckdb"),
                     "--progress", "lines"]) == 0  # fmt: skip
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("progress ")]
    assert lines == [f"progress {i}/5" for i in range(1, 6)]


def test_cli_build_survives_a_closed_pipe(tmp_path):
    db = tmp_path / "t.duckdb"
    done = subprocess.run(
        f'"{sys.executable}" -m etl build --db "{db}" | head -c 10',
        shell=True, cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.stdout == "built " + str(db)[:4]
    assert "Traceback" not in done.stderr and db.exists()
