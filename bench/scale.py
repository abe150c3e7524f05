"""Grow a built database to about a million facts, for measuring the dashboard at scale.

Extraction at that size would take the benchmark's whole budget, and the dashboard only reads
tables, so the big database is made from a real build by replication in SQL: each copy of a
source gets a new id and title, its publication and fact dates move by whole weeks, and fact
ids are re-derived, so every fact stays grounded (its offsets still index its source's text).
"""

from __future__ import annotations

import argparse
import math
import os
import time
from pathlib import Path

from etl.load import SCHEMA, connect

WEEKS = 156  # copies spread their dates over three years


def scale_database(base: Path, out: Path, target_facts: int) -> dict[str, int]:
    """Write `out`: `base` replicated until it holds at least `target_facts` facts."""
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = connect(tmp)
    try:
        con.execute(SCHEMA.read_text("utf-8"))
        con.execute("ATTACH ? AS base (READ_ONLY)", [str(base)])
        base_facts = con.execute("SELECT count(*) FROM base.facts").fetchall()[0][0]
        copies = max(1, math.ceil(target_facts / max(1, base_facts)))
        con.execute("CREATE TEMP TABLE copies AS SELECT range AS i FROM range($n)", {"n": copies})
        shift = f"CAST((c.i % {WEEKS}) * 7 AS INTEGER)"
        con.execute(
            f"""
            INSERT INTO sources BY NAME
            SELECT s.* REPLACE (
                CASE WHEN c.i = 0 THEN s.source_id ELSE s.source_id || '-' || c.i END AS source_id,
                CASE WHEN c.i = 0 THEN s.title ELSE s.title || ' (' || c.i || ')' END AS title,
                s.published + {shift} AS published,
                sha256(s.sha256 || c.i) AS sha256
            )
            FROM base.sources s, copies c
            """  # noqa: S608 - constants only
        )
        con.execute(
            f"""
            INSERT INTO facts BY NAME
            SELECT f.* REPLACE (
                CASE WHEN c.i = 0 THEN f.fact_id ELSE left(sha256(f.fact_id || c.i), 16) END
                    AS fact_id,
                CASE WHEN c.i = 0 THEN f.source_id ELSE f.source_id || '-' || c.i END
                    AS source_id,
                f.date + {shift} AS date
            )
            FROM base.facts f, copies c
            """  # noqa: S608 - constants only
        )
        con.execute("INSERT INTO etl_runs SELECT * FROM base.etl_runs")
        con.execute(
            "INSERT INTO etl_files SELECT f.run_id, f.path, s.source_id, f.status, f.reason "
            "FROM base.etl_files f JOIN sources s ON s.path = f.path"
        )
        counts = dict(
            con.execute(
                "SELECT 'sources', count(*) FROM sources UNION ALL SELECT 'facts', count(*) FROM facts"
            ).fetchall()
        )
        con.execute("DETACH base")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, out)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", type=Path, help="a database built by `python -m etl build`")
    parser.add_argument("out", type=Path)
    parser.add_argument("--facts", type=int, default=1_000_000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    counts = scale_database(args.base, args.out, args.facts)
    print(f"{args.out}: {counts} in {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
