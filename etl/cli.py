"""Command line: `python -m etl build | extract | export | add | feeds | claims | review | reviews | score`.

Exit codes: 0 success; 3 done, but some input files were skipped (see the summary); 1 failure
(for `build`, the previous database is left as it was); 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from etl import cli_review
from etl.build import DEFAULT_DB, DEFAULT_SEEDS, EXECUTORS, BuildBusy, build, read_folder
from etl.extract import extract_source
from etl.sources import SKIPPED, WARNED

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_SKIPPED = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="build the DuckDB database from a folder of articles")
    p_build.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of articles (default: seeds)"
    )
    p_build.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help="database path (default: data/tracker.duckdb)"
    )
    p_build.add_argument(
        "--max-mb", type=float, default=10.0, help="skip files larger than this (default: 10)"
    )
    p_build.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes that read and extract articles (default: one per core)",
    )
    p_build.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="if another build is running, wait this long for it (default: 0, fail at once)",
    )
    p_build.add_argument(
        "--no-cache",
        action="store_true",
        help="extract every article again, even those unchanged since the last build",
    )
    p_build.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="process",
        help="process: a local process pool (default); dask: a Dask cluster",
    )
    p_build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="with --executor dask, the scheduler to use (tcp://host:8786); default: a "
        "LocalCluster of --workers processes",
    )
    p_build.add_argument(
        "--progress",
        choices=("auto", "lines", "none"),
        default="auto",
        help="auto: a bar on a terminal; lines: 'progress DONE/TOTAL' lines on stdout",
    )
    p_extract = sub.add_parser("extract", help="print facts as JSON lines, one per fact")
    p_extract.add_argument("paths", nargs="+", type=Path, help="article files or folders")
    p_export = sub.add_parser("export", help="export every table to CSV or Parquet")
    p_export.add_argument("--format", choices=("csv", "parquet"), required=True)
    p_export.add_argument("--out", type=Path, required=True, help="output folder")
    p_export.add_argument("--db", type=Path, default=DEFAULT_DB)
    p_add = sub.add_parser("add", help="fetch web addresses and add their pages as articles")
    p_add.add_argument("urls", nargs="+", metavar="URL", help="http or https addresses")
    p_add.add_argument("--refresh", action="store_true", help="fetch addresses added before anew")
    _intake_options(p_add)
    p_feeds = sub.add_parser("feeds", help="news feed subscriptions (RSS, Atom)")
    feeds_sub = p_feeds.add_subparsers(dest="feeds_command", required=True)
    feeds_sub.add_parser("add", help="subscribe to a feed").add_argument("url", metavar="URL")
    feeds_sub.add_parser("remove", help="unsubscribe").add_argument("url", metavar="URL")
    feeds_sub.add_parser("list", help="subscriptions, their last pull and errors")
    p_pull = feeds_sub.add_parser("pull", help="add the new entries of every feed")
    p_pull.add_argument("--build", action="store_true", help="then run the incremental build")
    p_pull.add_argument(
        "--max-entries", type=int, default=None, metavar="N", help="per feed per pull (default 20)"
    )
    _intake_options(p_pull, build_flag=False)
    cli_review.register(sub, DEFAULT_DB, DEFAULT_SEEDS)
    args = parser.parse_args(argv)
    done = cli_review.run(
        args, lambda seeds, db: cmd_build(seeds, db, 10 * 1024 * 1024, progress="none", wait=600)
    )
    if done is not None:
        return done
    if args.command == "add":
        return cmd_add(args.urls, args.seeds, args.db, args.refresh, build_after=not args.no_build)
    if args.command == "feeds":
        return cmd_feeds(args)
    if args.command == "build":
        return cmd_build(
            args.seeds,
            args.db,
            int(args.max_mb * 1024 * 1024),
            args.progress,
            workers=args.workers,
            wait=args.wait,
            use_cache=not args.no_cache,
            executor=args.executor,
            scheduler=args.scheduler,
        )
    if args.command == "extract":
        return cmd_extract(args.paths)
    return cmd_export(args.db, args.out, args.format)


def cmd_build(
    seeds: Path,
    db: Path,
    max_bytes: int,
    progress: str = "auto",
    workers: int | None = None,
    wait: float = 0.0,
    use_cache: bool = True,
    executor: str = "process",
    scheduler: str | None = None,
) -> int:
    if scheduler and executor != "dask":
        print("error: --scheduler needs --executor dask", file=sys.stderr)
        return EXIT_USAGE
    if not seeds.is_dir():
        print(f"error: seeds folder {seeds} does not exist", file=sys.stderr)
        return EXIT_FAILED
    bar, report = None, None
    if progress == "lines":  # for a parent process (the dashboard) that shows its own bar

        def report(done: int, total: int) -> None:
            print(f"progress {done}/{total}", flush=True)

    elif progress == "auto" and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(desc="reading articles", unit="file", file=sys.stderr, leave=False)

        def report(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

    try:
        result = build(
            seeds,
            db,
            max_bytes=max_bytes,
            progress=report,
            workers=workers,
            wait=wait,
            use_cache=use_cache,
            executor=executor,
            scheduler=scheduler,
        )
    except BuildBusy as exc:
        print(f"error: {exc}; {db} left as it was", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # the previous database is untouched; say why and fail
        print(f"error: build failed, {db} left as it was: {exc}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        if bar:
            bar.close()
    try:
        _print_summary(result, seeds, db)
    except BrokenPipeError:  # `... | head`: the database is built; the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
    return EXIT_SKIPPED if result.read.skipped else EXIT_OK


def _print_summary(result, seeds: Path, db: Path) -> None:
    read = result.read
    per_kind = result.facts_per_kind()
    print(f"built {db} from {seeds} in {result.seconds:.2f} s (run {result.run_id})")
    print(
        f"  sources read: {result.sources_loaded}   skipped: {len(read.skipped)}"
        f"   (extracted {len(read.sources)}, unchanged {len(result.cached)})"
    )
    print(
        "  facts: "
        + ", ".join(f"{k} {per_kind.get(k, 0)}" for k in ("compute", "hire", "announcement"))
        + f"  (total {sum(per_kind.values())})"
    )
    _print_problems(read.outcomes, sys.stdout, indent="  ")


def cmd_extract(paths: list[Path]) -> int:
    read = read_folder(paths)
    out = sys.stdout
    try:
        for source in read.sources:
            for fact in extract_source(source):
                out.write(json.dumps(fact.to_public(), ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:  # `... | head`: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        return EXIT_OK
    _print_problems(read.outcomes, sys.stderr)
    return EXIT_SKIPPED if read.skipped else EXIT_OK


def _print_problems(outcomes, out, indent: str = "") -> None:
    """One line per file that was skipped or loaded with warnings."""
    for o in outcomes:
        if o.status in (SKIPPED, WARNED):
            print(f"{indent}{o.status}: {o.path}: {o.reason}", file=out)


def cmd_export(db: Path, out: Path, fmt: str) -> int:
    from etl.export import export

    if not db.exists():
        print(
            f"error: database {db} does not exist; run `python -m etl build` first", file=sys.stderr
        )
        return EXIT_FAILED
    for path in export(db, out, fmt):
        print(path)
    return EXIT_OK


def _intake_options(p: argparse.ArgumentParser, build_flag: bool = True) -> None:
    p.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="articles folder (default: seeds)"
    )
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help="database the build updates")
    if build_flag:
        p.add_argument("--no-build", action="store_true", help="only add; build later")


def cmd_add(urls: list[str], seeds: Path, db: Path, refresh: bool, build_after: bool) -> int:
    """Fetch each address, add its page, then run the incremental build once."""
    from etl.ingest import add_address

    results = [add_address(seeds, url, refresh=refresh) for url in urls]
    for r in results:
        print(r.line if r.ok else f"error: {r.line}", file=sys.stdout if r.ok else sys.stderr)
    code = EXIT_OK if all(r.ok for r in results) else EXIT_FAILED
    if build_after and any(r.new for r in results):
        built = cmd_build(seeds, db, 10 * 1024 * 1024, wait=600)
        code = max(code, built) if built != EXIT_SKIPPED else max(code, EXIT_OK)
    return code


def cmd_feeds(args: argparse.Namespace) -> int:
    from etl.ingest import FetchError, IngestError, add_address, feeds

    try:
        if args.feeds_command == "add":
            added = feeds.subscribe(args.url)
            print(f"subscribed to {args.url}" if added else f"already subscribed to {args.url}")
            return EXIT_OK
        if args.feeds_command == "remove":
            if feeds.unsubscribe(args.url):
                print(f"unsubscribed from {args.url}")
                return EXIT_OK
            print(f"error: no subscription to {args.url}", file=sys.stderr)
            return EXIT_FAILED
        if args.feeds_command == "list":
            subs = feeds.subscriptions()
            if not subs:
                print(f"no subscriptions ({feeds.feeds_path()}); add one with `feeds add URL`")
            for f in subs:
                last = f.get("last_pull") or "never pulled"
                print(
                    f"{f['url']}\tlast pull: {last}\t{f.get('last_error') or f.get('last_result') or ''}"
                )
            return EXIT_OK
    except (FetchError, IngestError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED

    def add_entry(link: str, meta: dict) -> tuple[str, str]:
        r = add_address(args.seeds, link, meta)
        return r.status, r.line

    kwargs = {} if args.max_entries is None else {"max_entries": args.max_entries}
    try:
        reports = feeds.pull(add_entry, **kwargs)
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if not reports:
        print("no subscriptions; add one with `python -m etl feeds add URL`")
    for report in reports:
        print(report.line())
        for e in report.entries:
            if e.status != "added":
                print(f"  {e.status}: {e.detail}")
    code = EXIT_FAILED if any(r.error for r in reports) else EXIT_OK
    if args.build and any(r.count("added") for r in reports):
        built = cmd_build(args.seeds, args.db, 10 * 1024 * 1024, wait=600)
        code = max(code, built) if built != EXIT_SKIPPED else code
    return code
