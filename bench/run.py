"""`make bench`: ETL throughput and dashboard latency at scale, printed as a table.

    python -m bench.run [--sizes 1000 5000 20000] [--facts 1000000] [--smoke] [--out PATH]

1. Generates a seeded synthetic corpus (bench/corpus.py) with the gold facts it planted.
2. Builds it with `python -m etl build` at each size (documents/s, MB/s, peak RSS, wall time,
   cores used), against a raw baseline in this process on the same files: read each file and
   run one precompiled regex. Scores recall on the planted facts of the largest build.
3. Adds one article to the largest corpus and rebuilds (the per-source cache at work).
4. Replicates the largest build to about a million facts (bench/scale.py) and renders every
   page through AppTest with cold caches (median of 5), with all sources and with 10, next to
   the page's queries alone and to a naive pandas version of the same views.
5. Times a 100,000-row CSV download and the dashboard server's peak RSS in a real browser.

Results go to bench/results.json. Speed is reported here, never asserted in unit tests.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
sys.path.insert(0, str(TESTS))  # scoring.py, and the browser harness

from bench import corpus as corpus_gen  # noqa: E402
from bench.measure import PeakRss, median_time, own_peak_rss, server_pid, status_kb, timed  # noqa: E402
from bench.scale import scale_database  # noqa: E402

SEED = 20261123
APP = str(ROOT / "dashboard" / "app.py")
BASELINE_RE = re.compile(r"\b\d[\d,.]*\s*(?:k|thousand|million)?\s+(?:\w+\s+)?GPUs?\b", re.I)
PAGES = {
    "Overview": "views/overview.py",
    "Compute buildout": "views/compute.py",
    "Hiring": "views/hiring.py",
    "Announcements": "views/announcements.py",
    "Claims": "views/claims.py",
    "Sources": "views/sources.py",
    "Facts explorer": "views/facts.py",
}
FILTERED_SOURCES = 10
CSV_ROWS = 100_000
# Speed targets are ratios to baselines measured in the same run (absolute seconds on shared
# machines move by 3x from run to run); memory is reported.
TARGETS = {
    "dask_over_pool": 1.3,  # full build: Dask LocalCluster / the process pool
    "page_over_queries": 2.0,  # every page, cold: render / its own queries
    "csv_over_copy": 1.5,  # 100k-row CSV download / a plain DuckDB COPY of the same query
    "incremental_over_full": 0.1,  # +1 article / the full build
    "naive_over_page": 5.0,
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- corpus -------------------------------------------------------------------------------------


def make_corpora(work: Path, sizes: list[int]) -> dict[int, Path]:
    """One folder per size; smaller ones are hard links to the first files of the largest."""
    largest = max(sizes)
    full = work / f"corpus-{largest}"
    info = corpus_gen.generate(full, largest, SEED)
    info.gold.rename(work / "gold.jsonl")  # not an article: keep it out of the folder
    log(f"corpus: {info.summary()}")
    stems = sorted({p.name.split(".")[0] for p in full.iterdir()})
    folders = {largest: full}
    for n in sorted(s for s in sizes if s != largest):
        folder = work / f"corpus-{n}"
        folder.mkdir()
        keep = set(stems[:n])
        for p in full.iterdir():
            if p.name.split(".")[0] in keep:
                os.link(p, folder / p.name)
        folders[n] = folder
    return folders


def corpus_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if not p.name.endswith(".json"))


# --- ETL ----------------------------------------------------------------------------------------


def run_build(folder: Path, db: Path, *extra: str, checkout: Path = ROOT) -> dict:
    """`python -m etl build` in a child process: wall time, peak RSS of its tree, cores used.

    `checkout` runs another checkout's code (a git worktree) with this environment's packages.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, PYTHONPATH=str(checkout)) if checkout != ROOT else None
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "build", "--seeds", str(folder), "--db", str(db),
         "--progress", "none", *extra],
        cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    with PeakRss(proc.pid) as peak:
        out, _ = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 3):
        raise RuntimeError(f"build of {folder} failed ({proc.returncode}):\n{out}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": wall, "peak_rss_mb": peak.peak_mb, "cores_used": cpu / wall, "log": out}


def raw_baseline(folder: Path) -> dict:
    """Read every article and run one precompiled regex over it, in this process."""
    files = sorted(p for p in folder.iterdir() if not p.name.endswith(".json"))

    def scan() -> int:
        return sum(
            len(BASELINE_RE.findall(p.read_bytes().decode("utf-8", "replace"))) for p in files
        )

    seconds, matches = timed(scan)
    return {"seconds": seconds, "matches": matches}


def recall_on_gold(db: Path, gold_path: Path) -> dict:
    """Precision and recall of the built facts against the planted gold, per kind."""
    from scoring import load_gold, score

    from etl.load import connect

    gold = defaultdict(list)
    for g in load_gold(gold_path):
        gold[g["source"]].append(g)
    con = connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT source_id AS source, kind, quantity, unit, person, subject, org, chip, status,"
            " from_org, to_org, role, category, CAST(date AS VARCHAR) AS date FROM facts"
        ).df()
    finally:
        con.close()
    predicted = defaultdict(list)
    for record in rows.to_dict("records"):
        predicted[record["source"]].append(
            {k: (None if v != v else v) for k, v in record.items()}  # NaN -> None
        )
    totals = {k: {"tp": 0, "fp": 0, "fn": 0} for k in ("compute", "hire", "announcement")}
    for source, golds in gold.items():
        for kind, s in score(predicted.get(source, []), golds).items():
            totals[kind]["tp"] += s.tp
            totals[kind]["fp"] += s.fp
            totals[kind]["fn"] += s.fn
    out = {}
    for kind, t in totals.items():
        found = t["tp"] + t["fp"]
        planted = t["tp"] + t["fn"]
        out[kind] = {
            "precision": t["tp"] / found if found else 1.0,
            "recall": t["tp"] / planted if planted else 1.0,
            "planted": planted,
        }
    return out


def bench_etl(work: Path, folders: dict[int, Path]) -> dict:
    """Each size on the process pool, and the largest on a Dask LocalCluster too (same number
    of workers), each next to the raw scan of the same files."""
    results = {}
    largest = max(folders)
    for n, folder in sorted(folders.items()):
        mb = corpus_bytes(folder) / 1e6
        db = work / f"etl-{n}.duckdb"
        build = run_build(folder, db, "--no-cache")
        base = raw_baseline(folder)
        if n == largest:
            workers = str(os.cpu_count() or 1)
            dask = run_build(folder, work / f"etl-{n}-dask.duckdb", "--no-cache",
                             "--executor", "dask", "--workers", workers)  # fmt: skip
            results["dask"] = {
                "articles": n,
                "seconds": dask["seconds"],
                "pool_seconds": build["seconds"],
                "over_pool": dask["seconds"] / build["seconds"],
                "over_raw": dask["seconds"] / base["seconds"],
                "peak_rss_mb": dask["peak_rss_mb"],
            }
            log(
                f"etl {n} on Dask: {dask['seconds']:.1f} s ({dask['seconds'] / build['seconds']:.2f}x the pool)"
            )
        results[n] = {
            "articles": n,
            "mb": mb,
            "seconds": build["seconds"],
            "docs_per_s": n / build["seconds"],
            "mb_per_s": mb / build["seconds"],
            "peak_rss_mb": build["peak_rss_mb"],
            "cores_used": build["cores_used"],
            "baseline_seconds": base["seconds"],
            "over_baseline": build["seconds"] / base["seconds"],
            "db": str(db),
        }
        log(
            f"etl {n}: {build['seconds']:.1f} s, {n / build['seconds']:.0f} docs/s, "
            f"{build['peak_rss_mb']:.0f} MB, baseline {base['seconds']:.2f} s"
        )
    return results


def bench_incremental(work: Path, folder: Path, db: Path) -> dict:
    """Add one new article to the largest corpus and rebuild (unchanged ones come from cache)."""
    extra = work / "one-more"
    corpus_gen.generate(extra, 1, SEED + 1)
    for p in extra.iterdir():
        if p.name != "gold.jsonl":
            shutil.copy(p, folder / f"added_{p.name}")
    build = run_build(folder, db)
    match = re.search(r"extracted (\d+), unchanged (\d+)", build["log"])
    extracted, unchanged = (int(match[1]), int(match[2])) if match else (None, None)
    log(f"incremental: {build['seconds']:.2f} s (extracted {extracted}, unchanged {unchanged})")
    return {"seconds": build["seconds"], "extracted": extracted, "unchanged": unchanged}


def incremental_over_full(results: dict) -> float:
    largest = max(
        (r for k, r in results["etl"].items() if k != "dask"), key=lambda r: r["articles"]
    )
    return results["incremental"]["seconds"] / largest["seconds"]


# --- the dashboard at scale ---------------------------------------------------------------------


def _page_queries(data, view: str) -> Callable:
    """The data calls a page makes (after the sidebar's), as one function of (db, filters)."""

    def sidebar(db, f):
        data.date_bounds(db), data.source_count(db), data.org_options(db)
        data.source_labels(db, f.sources), data.source_options(db, "")

    calls = {
        "Overview": lambda db, f: (
            data.build_info(db), data.headline(db, f), data.largest_planned_compute(db, f),
            data.latest_facts(db, f),
        ),
        "Compute buildout": lambda db, f: (
            data.compute_claim_points(db, f), data.compute_fleet(db, f), data.compute_facts(db, f)
        ),
        "Hiring": lambda db, f: (
            data.hire_facts(db, f), data.talent_flows(db, f), data.hires_per_destination(db, f),
            data.people(db, f),
        ),
        "Announcements": lambda db, f: (
            data.announcement_facts(db, f), data.dated_announcements(db, f),
            data.undated_announcements(db, f),
        ),
        "Claims": lambda db, f: _claims_queries(data, db, f),
        "Sources": lambda db, f: (
            data.sources_list(db, f), data.review_quality(db), data.orphaned_reviews(db)
        ),
        "Facts explorer": lambda db, f: data.search_facts(db, f, "", (), "date", True),
    }[view]  # fmt: skip

    def run(db, f):
        sidebar(db, f)
        calls(db, f)

    return run


def _claims_queries(data, db, f) -> None:
    conflicts = data.conflicts_list(db, f)
    data.claim_reports(db, tuple(sorted(set(conflicts.claim_a) | set(conflicts.claim_b))))
    data.claims_list(db, f)


def _naive_views(pd):
    """The same views the naive way: every fact in one pandas frame, filtered and aggregated."""

    def recent(frame):
        return frame.sort_values(["date", "fact_id"], ascending=[False, True], na_position="last")

    def overview(f):
        counts = f.groupby("kind").size()
        planned = f[(f.kind == "compute") & (f.status == "planned") & f.org.notna()]
        largest = planned.loc[planned.groupby(["org", "unit"]).quantity.idxmax()]
        latest = recent(f).drop_duplicates(["source_id", "start_offset", "end_offset"]).head(8)
        return counts, f.source_id.nunique(), f.person.nunique(), largest, latest

    def compute(f):
        c = f[f.kind == "compute"]
        month = c.date.dt.to_period("M")
        points = c.loc[c.groupby([c.org, c.unit, c.status, month], dropna=False).quantity.idxmax()]
        return points, recent(c).head(1000)

    def hiring(f):
        h = f[f.kind == "hire"]
        flows = h.groupby(["from_org", "to_org"]).person.nunique().nlargest(40)
        dest = h.groupby("to_org").person.nunique().nlargest(25)
        return flows, dest, recent(h).head(1000)

    def announcements(f):
        a = f[f.kind == "announcement"]
        dated = a[a.date.notna()].sort_values("date", ascending=False).head(2000)
        undated = a[a.date.isna()].sort_values("published", ascending=False).head(30)
        return dated, undated, a.sort_values(["date", "category", "subject"]).head(1000)

    def claims(f):
        keys = ["kind", "org", "unit", "person", "to_org", "subject"]
        grouped = f.groupby(keys, dropna=False)
        support = grouped.source_id.nunique().rename("support")
        seen = grouped.published.agg(["min", "max"])
        return support.to_frame().join(seen).sort_values("support", ascending=False).head(1000)

    def sources(f):
        per = f.pivot_table(index="source_id", columns="kind", values="fact_id", aggfunc="count")
        return per.join(f.drop_duplicates("source_id").set_index("source_id")[["title"]]).head(1000)

    def facts(f):
        return recent(f).head(1000)

    return {
        "Overview": overview,
        "Compute buildout": compute,
        "Hiring": hiring,
        "Announcements": announcements,
        "Claims": claims,
        "Sources": sources,
        "Facts explorer": facts,
    }


def _naive_load(db_path: Path):
    from etl.load import connect

    con = connect(db_path, read_only=True)
    try:
        return con.execute(
            "SELECT f.*, s.title, s.published FROM facts f JOIN sources s USING (source_id)"
        ).df()
    finally:
        con.close()


def _naive_filter(frame, sources: tuple[str, ...]):
    return frame[frame.source_id.isin(sources)] if sources else frame


def bench_pages(db_path: Path, repeats: int) -> dict:
    """Each page: AppTest render with cold caches, its queries alone, and the naive baseline."""
    import pandas as pd
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import data

    quiet_streamlit()
    os.environ["AGI_TRACKER_DB"] = str(db_path)
    db = data.Database.at(db_path)
    ten = tuple(data.source_options(db, limit=FILTERED_SOURCES).source_id)
    naive = _naive_views(pd)
    results: dict[str, dict] = {}
    load_s, everything = timed(lambda: _naive_load(db_path))
    log(f"naive load of {len(everything):,} facts into pandas: {load_s:.2f} s")
    for scope, sources in (("all sources", ()), (f"{FILTERED_SOURCES} sources", ten)):
        filters = data.Filters(sources=sources)
        for view, page in PAGES.items():
            at = AppTest.from_file(APP, default_timeout=600)
            if sources:
                at.query_params["source"] = list(sources)
            at.run()
            at.switch_page(page).run()
            if at.exception:
                raise RuntimeError(f"{view}: {at.exception[0].value}")
            cold = median_time(at.run, repeats, before=st.cache_data.clear)
            warm = median_time(at.run, repeats)
            if at.exception:
                raise RuntimeError(f"{view}: {at.exception[0].value}")
            queries = _page_queries(data, view)
            query_s = median_time(
                lambda q=queries, f=filters: q(db, f), repeats, st.cache_data.clear
            )
            view_fn = naive[view]
            in_memory = median_time(
                lambda v=view_fn, s=sources: v(_naive_filter(everything, s)), max(1, repeats // 2)
            )
            naive_s = load_s + in_memory
            results[f"{view} | {scope}"] = {
                "render_cold_s": cold,
                "render_warm_s": warm,
                "queries_s": query_s,
                "render_over_queries": cold / query_s,
                "naive_s": naive_s,
                "naive_in_memory_s": in_memory,
                "naive_over_render": naive_s / cold,
            }
            log(
                f"page {view} ({scope}): cold {cold:.3f} s, queries {query_s:.3f} s, naive {naive_s:.2f} s"
            )
    return results


def bench_csv(db_path: Path, repeats: int = 3) -> dict:
    """A filtered download of about 100,000 rows, as the Facts explorer writes it (DuckDB COPY,
    formulas neutralised in SQL), next to a plain COPY of the same query without neutralising."""
    import streamlit as st

    from dashboard import data

    db = data.Database.at(db_path)
    cut = data._query(
        db,
        "SELECT date FROM facts WHERE date IS NOT NULL ORDER BY date DESC LIMIT 1 OFFSET $n",
        {"n": CSV_ROWS - 1},
    )
    start = cut.date.iloc[0].date() if len(cut) else None
    filters = data.Filters(start=start, include_undated=False)
    columns = ["kind", "date", "org", "summary", "confidence", "quote", "source_title", "fact_id"]
    st.cache_data.clear()
    query = data.search_facts(db, filters, "", (), "date", True).everything_query
    data.csv_bytes(query, columns, neutralise=False)  # warm the reader: both runs start equal
    ours, plain = [], []
    with own_peak_rss() as peak:
        for _ in range(repeats):  # alternated, so drift on a shared machine hits both alike
            seconds, payload = timed(lambda: data.csv_bytes(query, columns))
            ours.append(seconds)
            seconds, baseline = timed(lambda: data.csv_bytes(query, columns, neutralise=False))
            plain.append(seconds)
    rows = payload.count(b"\r\n") - 1
    ours_s, copy_s = statistics.median(ours), statistics.median(plain)
    return {
        "rows": rows,
        "mb": len(payload) / 1e6,
        "seconds": ours_s,
        "copy_seconds": copy_s,
        "over_copy": ours_s / copy_s,
        "same_rows_as_copy": baseline.count(b"\r\n") - 1 == rows,
        "peak_rss_mb": peak.peak_mb,
    }


def csv_in_child(db_path: Path) -> dict:
    """bench_csv in a fresh process, so its peak RSS is the download's, not this benchmark's."""
    code = (
        "import json, sys; from bench.run import bench_csv, quiet_streamlit; quiet_streamlit(); "
        "print(json.dumps(bench_csv(__import__('pathlib').Path(sys.argv[1]))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"CSV benchmark failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    log(
        f"csv: {result['rows']:,} rows, {result['mb']:.1f} MB in {result['seconds']:.2f} s "
        f"(plain COPY {result['copy_seconds']:.2f} s)"
    )
    return result


def quiet_streamlit() -> None:
    """No "No runtime found" line for every cached call made outside a server."""
    import streamlit  # noqa: F401 - creates the loggers to quieten

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def bench_dashboard_rss(db_path: Path, ten: tuple[str, ...]) -> dict:
    """The server's peak RSS while a real browser opens every page, unfiltered and filtered."""
    from e2e_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server
    from test_e2e import IDLE_JS

    if not CHROMIUM.exists():
        return {"skipped": f"{CHROMIUM} is missing (make chromium)"}
    from playwright.sync_api import sync_playwright

    paths = ["/", "/compute", "/hiring", "/announcements", "/sources", "/facts"]
    query = "?" + "&".join(f"source={s}" for s in ten)
    with streamlit_server(db_path) as server:
        pid = server_pid(int(server.url.rsplit(":", 1)[1]))
        with PeakRss(pid, interval=0.05) as peak, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            times = []
            for suffix in ("", query):
                for path in paths:
                    t0 = time.perf_counter()
                    page.goto(server.url + path + suffix)
                    page.wait_for_function(IDLE_JS, timeout=300_000)
                    times.append(time.perf_counter() - t0)
            browser.close()
        settled = status_kb(pid, "VmHWM") / 1024
    log(f"dashboard: peak RSS {max(peak.peak_mb, settled):.0f} MB over {len(times)} page loads")
    return {
        "peak_rss_mb": max(peak.peak_mb, settled),
        "page_loads": len(times),
        "browser_page_ready_median_s": statistics.median(times),
        "browser_page_ready_max_s": max(times),
    }


# --- report -------------------------------------------------------------------------------------


def table(results: dict) -> str:
    lines = [
        "",
        "ETL (python -m etl build --no-cache, one worker per core). Memory: peak PSS of the",
        "process tree in MB (PSS counts pages a forked worker shares with its parent once).",
    ]
    lines.append(
        f"{'articles':>9} {'MB':>6} {'seconds':>8} {'docs/s':>7} {'MB/s':>6} {'mem MB':>7} "
        f"{'cores':>6} {'raw s':>6} {'x raw':>6}"
    )
    for r in results["etl"].values():
        lines.append(
            f"{r['articles']:>9,} {r['mb']:>6.1f} {r['seconds']:>8.2f} {r['docs_per_s']:>7.0f} "
            f"{r['mb_per_s']:>6.2f} {r['peak_rss_mb']:>7.0f} {r['cores_used']:>6.2f} "
            f"{r['baseline_seconds']:>6.2f} {r['over_baseline']:>6.1f}"
        )
    dask = results["dask"]
    lines.append(
        f"Dask LocalCluster, {dask['articles']:,} articles: {dask['seconds']:.2f} s = "
        f"{dask['over_pool']:.2f}x the process pool, {dask['over_raw']:.1f}x the raw scan "
        f"(mem {dask['peak_rss_mb']:.0f} MB)"
    )
    rec = results["recall"]
    lines.append(
        "planted facts, largest corpus: "
        + ", ".join(
            f"{k} P {v['precision']:.3f} R {v['recall']:.3f} (n={v['planted']:,})"
            for k, v in rec.items()
        )
    )
    inc = results["incremental"]
    lines.append(
        f"incremental: +1 article -> {inc['seconds']:.2f} s = {incremental_over_full(results):.3f}x "
        f"the full build (extracted {inc['extracted']}, unchanged {inc['unchanged']})"
    )
    big = results["big_db"]
    lines += ["", f"Dashboard on {big['facts']:,} facts / {big['sources']:,} sources "
              f"(AppTest, median of {results['repeats']}, seconds)"]  # fmt: skip
    lines.append(
        f"{'page | scope':<34} {'cold':>6} {'warm':>6} {'queries':>8} {'x q':>5} "
        f"{'naive':>6} {'naive/us':>8}"
    )
    for name, r in results["pages"].items():
        lines.append(
            f"{name:<34} {r['render_cold_s']:>6.3f} {r['render_warm_s']:>6.3f} "
            f"{r['queries_s']:>8.3f} {r['render_over_queries']:>5.1f} {r['naive_s']:>6.2f} "
            f"{r['naive_over_render']:>8.1f}"
        )
    csv = results["csv"]
    lines.append(
        f"CSV download: {csv['rows']:,} rows ({csv['mb']:.1f} MB) in {csv['seconds']:.2f} s = "
        f"{csv['over_copy']:.2f}x a plain DuckDB COPY of the same query ({csv['copy_seconds']:.2f} s), "
        f"peak RSS {csv['peak_rss_mb']:.0f} MB"
    )
    dash = results["dashboard"]
    if "peak_rss_mb" in dash:
        lines.append(
            f"dashboard server peak RSS: {dash['peak_rss_mb']:.0f} MB over "
            f"{dash['page_loads']} browser page loads (median ready {dash['browser_page_ready_median_s']:.2f} s)"
        )
    else:
        lines.append(f"dashboard server RSS: skipped ({dash['skipped']})")
    lines += ["", "Targets (ratios measured in this run)"]
    for name, (ok, text) in results["targets"].items():
        mark = "reported" if ok is None else ("met" if ok else "MISSED")
        lines.append(f"  [{mark}] {name}: {text}")
    return "\n".join(lines)


def check_targets(results: dict) -> dict[str, tuple[bool | None, str]]:
    """Each target as (met, text); None marks a figure that is reported, not judged."""
    t = TARGETS
    largest = max(results["etl"].values(), key=lambda r: r["articles"])
    dask, csv = results["dask"], results["csv"]
    pages = results["pages"]
    worst_name, worst = max(pages.items(), key=lambda kv: kv[1]["render_over_queries"])
    least_naive = min(r["naive_over_render"] for r in pages.values())
    inc = incremental_over_full(results)
    n = f"{largest['articles']:,}"
    out = {
        f"Dask / process pool, full build of {n}": (
            dask["over_pool"] <= t["dask_over_pool"],
            f"{dask['over_pool']:.2f}x (target <= {t['dask_over_pool']}x)",
        ),
        f"process pool / raw scan, {n}": (None, f"{largest['over_baseline']:.1f}x"),
        f"Dask / raw scan, {n}": (None, f"{dask['over_raw']:.1f}x"),
        "every page cold / its own queries": (
            worst["render_over_queries"] <= t["page_over_queries"],
            f"worst {worst['render_over_queries']:.2f}x ({worst_name}) "
            f"(target <= {t['page_over_queries']}x)",
        ),
        "CSV of 100k rows / plain DuckDB COPY": (
            csv["over_copy"] <= t["csv_over_copy"],
            f"{csv['over_copy']:.2f}x (target <= {t['csv_over_copy']}x)",
        ),
        "incremental +1 article / full build": (
            inc <= t["incremental_over_full"],
            f"{inc:.3f}x (target <= {t['incremental_over_full']}x)",
        ),
        "naive pandas / ours": (
            least_naive >= t["naive_over_page"],
            f"at least {least_naive:.1f}x (target >= {t['naive_over_page']}x)",
        ),
        "recall on planted facts": (
            min(v["recall"] for v in results["recall"].values()) >= 0.95,
            ", ".join(f"{k} {v['recall']:.3f}" for k, v in results["recall"].items())
            + " (target 0.95)",
        ),
        "ETL peak memory": (None, f"{largest['peak_rss_mb']:.0f} MB"),
    }
    if "peak_rss_mb" in results["dashboard"]:
        out["dashboard peak memory"] = (None, f"{results['dashboard']['peak_rss_mb']:.0f} MB")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--facts", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the harness")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: temp)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.facts, args.repeats, args.no_browser = [10, 20], 2_000, 1, True
    t0 = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="agi-tracker-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        folders = make_corpora(work, args.sizes)
        results: dict = {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "repeats": args.repeats,
        }
        results["etl"] = bench_etl(work, folders)
        results["dask"] = results["etl"].pop("dask")
        largest = max(args.sizes)
        largest_db = Path(results["etl"][largest]["db"])
        results["recall"] = recall_on_gold(largest_db, work / "gold.jsonl")
        results["incremental"] = bench_incremental(work, folders[largest], largest_db)
        big = work / "big.duckdb"
        seconds, counts = timed(lambda: scale_database(largest_db, big, args.facts))
        results["big_db"] = {**counts, "seconds": seconds}
        log(f"scaled to {counts['facts']:,} facts in {seconds:.1f} s")
        results["pages"] = bench_pages(big, args.repeats)
        results["csv"] = csv_in_child(big)
        if args.no_browser:
            results["dashboard"] = {"skipped": "--no-browser"}
        else:
            from dashboard import data

            ten = tuple(
                data.source_options(data.Database.at(big), limit=FILTERED_SOURCES).source_id
            )
            results["dashboard"] = bench_dashboard_rss(big, ten)
        results["targets"] = check_targets(results)
        results["seconds"] = time.perf_counter() - t0
        print(table(results))
        print(f"\nbench took {results['seconds']:.0f} s; results in {args.out}")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, default=str) + "\n", "utf-8")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
