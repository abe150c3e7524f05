"""Full build of the bench corpus with this checkout's extractor and with an earlier commit's,
in one run, next to the raw scan: how much slower did reading real text make the build?

    python -m bench.compare_extractor --against REF [--size 20000] [--rounds 2]

The earlier commit runs from a `git worktree` of REF with this checkout's Python environment
(same packages), on the same corpus folder; builds alternate between the two checkouts so a
busy machine slows both alike, and each side reports its median. Planted-fact recall is scored
for both on the corpus gold.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import ROOT, make_corpora, raw_baseline, recall_on_gold, run_build


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare_extractor", description=__doc__)
    parser.add_argument("--against", required=True, help="git commit to compare with")
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "compare_extractor.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="agi-compare-") as tmp:
        work = Path(tmp)
        old = work / "old"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(old), args.against],
            cwd=ROOT, check=True, capture_output=True,
        )  # fmt: skip
        try:
            folder = make_corpora(work, [args.size])[args.size]
            raw = statistics.median(raw_baseline(folder)["seconds"] for _ in range(3))
            times: dict[str, list[float]] = {"before": [], "now": []}
            for _ in range(args.rounds):
                for name, checkout in (("before", old), ("now", ROOT)):
                    db = work / f"{name}.duckdb"
                    build = run_build(folder, db, "--no-cache", checkout=checkout)
                    times[name].append(build["seconds"])
                    print(f"{name}: {times[name][-1]:.1f} s", flush=True)
            recall = {
                name: recall_on_gold(work / f"{name}.duckdb", work / "gold.jsonl") for name in times
            }
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT)
    before, now = (statistics.median(times[k]) for k in ("before", "now"))
    result = {
        "size": args.size,
        "against": args.against,
        "raw_scan_s": raw,
        "before_s": before,
        "now_s": now,
        "now_over_before": now / before,
        "before_over_raw": before / raw,
        "now_over_raw": now / raw,
        "recall": recall,
        "runs": times,
    }
    args.out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nfull build of {args.size:,} articles (median of {args.rounds}):")
    print("| checkout | seconds | × raw scan |")
    print("|---|---|---|")
    print(f"| raw scan | {raw:.2f} | 1.0 |")
    print(f"| {args.against} (before) | {before:.1f} | {before / raw:.0f} |")
    print(f"| this checkout | {now:.1f} | {now / raw:.0f} |")
    print(f"this checkout / before: {now / before:.2f}× (target ≤ 8×)")
    print(f"planted-fact recall: {json.dumps(recall, default=str)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
