"""The benchmark harness at tiny sizes, so `make bench` cannot rot (speed is not asserted)."""

import json
import subprocess
import sys

from conftest import ROOT

from bench.run import PAGES


def test_bench_smoke_run_measures_every_section(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert sorted(results["etl"]) == ["10", "20"]
    for row in results["etl"].values():
        assert row["docs_per_s"] > 0 and row["peak_rss_mb"] > 0 and row["baseline_seconds"] > 0
    assert all(v["planted"] > 0 for v in results["recall"].values())
    assert results["incremental"]["extracted"] == 1  # only the added article
    assert results["incremental"]["unchanged"] == 20
    assert results["big_db"]["facts"] >= 2000
    assert {name.split(" | ")[0] for name in results["pages"]} == set(PAGES)
    assert all(r["render_cold_s"] > 0 and r["queries_s"] > 0 for r in results["pages"].values())
    assert results["csv"]["rows"] > 0 and results["csv"]["same_rows_as_copy"]
    assert results["csv"]["over_copy"] > 0
    assert results["dask"]["articles"] == 20 and results["dask"]["over_pool"] > 0
    for name in (
        "Dask / process pool, full build of 20",
        "every page cold / its own queries",
        "CSV of 100k rows / plain DuckDB COPY",
        "incremental +1 article / full build",
    ):
        assert name in done.stdout
