"""Score the extractor on real news articles: `make eval-real` (not part of `make test`).

A real set is a folder `data/real/<set>/raw/` of gathered texts (`Source:`/`Date:` header, a
blank line, then the body) plus its gold: `sources.tsv` and `gold.jsonl` with character spans
and a sha1 per quote. Gold for `dev` is the shared development set; for `own`, the project's
set in `tests/data/real/`; any other set keeps them beside its `raw/` folder. Every gold span is
checked against its hash, the bodies are written as `.txt` + `.meta.json` to
`data/real/<set>/prepared/`, and the facts `python -m etl extract` would print are scored the
way `../shared/eval/score.py` scores them, plus announcement precision (on sets whose
announcement gold is exhaustive) and facts right per confidence band.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from etl.extract import extract_source
from etl.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "real"
GOLD_DIRS = {
    "dev": ROOT.parent / "shared" / "eval" / "dev",
    "own": ROOT / "tests" / "data" / "real",
    "fresh": ROOT / "tests" / "data" / "real-fresh",
}
# Sets whose announcements are labelled exhaustively, so precision means something.
EXHAUSTIVE_ANNOUNCEMENTS = {"own", "fresh"}
BANDS = ((0.0, 0.5), (0.5, 0.65), (0.65, 0.8), (0.8, 1.01))

# The scorer's organisation aliases (as in ../shared/eval/score.py): common names compare equal.
ALIASES = {
    "meta": "meta", "meta platforms": "meta", "facebook": "meta", "meta ai": "meta",
    "google deepmind": "google", "deepmind": "google", "google": "google",
    "microsoft": "microsoft", "openai": "openai", "xai": "xai", "x.ai": "xai",
    "meta superintelligence labs": "meta", "msl": "meta", "fair": "meta",
    "scale": "scale ai", "inflection": "inflection ai", "ssi": "safe superintelligence",
    "anthropic pbc": "anthropic", "apple inc.": "apple", "apple inc": "apple",
    "alphabet": "google", "google cloud": "google", "mistral": "mistral ai",
    "thinking machines": "thinking machines lab", "amazon web services": "amazon", "aws": "amazon",
    "samsung electronics": "samsung", "hyundai motor group": "hyundai", "naver cloud": "naver",
    "oci": "oracle", "oracle cloud infrastructure": "oracle", "advanced micro devices": "amd",
    "sk hynix": "sk group", "sk telecom": "sk group",
}  # fmt: skip


@dataclass
class RealSet:
    name: str
    raw: Path
    gold_dir: Path
    bodies: dict[str, str] = field(default_factory=dict)
    gold: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def find_sets(data: Path = DATA) -> list[RealSet]:
    """Every gathered set under `data/real/` that has gold to score against."""
    sets = []
    for raw in sorted(data.glob("*/raw")):
        name = raw.parent.name
        gold_dir = GOLD_DIRS.get(name, raw.parent)
        if (gold_dir / "gold.jsonl").exists() and any(raw.glob("*.txt")):
            sets.append(RealSet(name, raw, gold_dir))
    return sets


def split_gathered(path: Path) -> tuple[str, str | None, str]:
    """(url, date or None, body) of a gathered text."""
    lines = path.read_text(encoding="utf-8").split("\n")
    url = lines[0].removeprefix("Source: ").strip()
    date = lines[1].removeprefix("Date: ").strip() if len(lines) > 1 else "unknown"
    return url, (None if date in ("unknown", "") else date), "\n".join(lines[3:]).strip()


def prepare(rs: RealSet) -> Path:
    """Check every gold span of the set and write its bodies in the project's input format."""
    out = rs.raw.parent / "prepared"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    rows = (rs.gold_dir / "sources.tsv").read_text(encoding="utf-8").splitlines()[1:]
    wanted = [r.split("\t")[0] for r in rows if r.strip()]
    gold = [json.loads(x) for x in (rs.gold_dir / "gold.jsonl").read_text().splitlines() if x]
    for stem in wanted:
        path = rs.raw / f"{stem}.txt"
        if not path.exists():
            rs.problems.append(f"{rs.name}/{stem}: not gathered")
            continue
        url, date, body = split_gathered(path)
        mine = [g for g in gold if g["doc"] == stem]
        wrong = [g for g in mine if _sha1(body[g["start"] : g["end"]]) != g["quote_sha1"]]
        if wrong:
            rs.problems.append(
                f"{rs.name}/{stem}: {len(wrong)} gold span(s) do not match (first at {wrong[0]['start']})"
            )
            continue
        rs.bodies[stem] = body
        rs.gold.extend(mine)
        (out / f"{stem}.txt").write_text(body, encoding="utf-8")
        meta = {"url": url} | ({"published": date} if date else {})
        (out / f"{stem}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return out


def _sha1(s: str) -> str:
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def predict(folder: Path) -> list[dict]:
    """The facts `python -m etl extract folder` prints, as dicts."""
    facts = []
    for path in sorted(folder.glob("*.txt")):
        facts.extend(f.to_public() for f in extract_source(read_source(path)))
    return facts


def norm_org(x: str | None) -> str:
    x = (x or "").strip().lower()
    return ALIASES.get(x, x)


def norm_person(x: str | None) -> str:
    return re.sub(r"\s+", " ", (x or "").strip().lower())


def matches(g: dict, p: dict) -> bool:
    """The scorer's rule: compute and hire on normalised fields, announcements on span overlap."""
    if g["doc"] != p.get("source") or g["kind"] != p.get("kind"):
        return False
    if g["kind"] == "compute":
        return (
            p.get("quantity") == g["quantity"]
            and ("equiv" in (p.get("unit") or "").lower()) == ("equiv" in g["unit"].lower())
            and norm_org(p.get("org")) == norm_org(g["org"])
        )
    if g["kind"] == "hire":
        return (
            norm_person(p.get("person")) == norm_person(g["person"])
            and norm_org(p.get("to_org")) == norm_org(g["to_org"])
            and (
                g.get("from_org") is None or norm_org(p.get("from_org")) == norm_org(g["from_org"])
            )
        )
    overlap = max(0, min(g["end"], p["end"]) - max(g["start"], p["start"]))
    return norm_org(p.get("org")) == norm_org(g["org"]) and overlap >= 0.3 * (g["end"] - g["start"])


@dataclass
class Score:
    name: str
    docs: int
    gold: int
    rows: dict[str, tuple[int, int, int, int]]  # kind -> (gold hit, gold, pred hit, pred)
    hire_loose: tuple[int, int]
    dates: tuple[int, int]
    bad_spans: int
    bands: list[tuple[str, int, int]]  # band, right, facts
    misses: list[dict]
    wrong: list[dict]

    def recall(self, kind: str) -> float:
        hit, n, _, _ = self.rows[kind]
        return hit / n if n else 1.0

    def precision(self, kind: str) -> float | None:
        _, _, hit, n = self.rows[kind]
        return hit / n if n else None

    def f1(self, kind: str) -> float:
        r, p = self.recall(kind), self.precision(kind) or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def mean(self) -> float:
        return (self.f1("compute") + self.f1("hire") + self.recall("announcement")) / 3


def score(rs: RealSet, pred: list[dict]) -> Score:
    gold = rs.gold
    rows, misses, wrong = {}, [], []
    right_ids: set[int] = set()
    for kind in ("compute", "hire", "announcement"):
        G = [g for g in gold if g["kind"] == kind]
        P = [p for p in pred if p["kind"] == kind]
        hit_g = [g for g in G if any(matches(g, p) for p in P)]
        hit_p = [p for p in P if any(matches(g, p) for g in G)]
        right_ids |= {id(p) for p in hit_p}
        misses += [g for g in G if not any(matches(g, p) for p in P)]
        if kind != "announcement" or rs.name in EXHAUSTIVE_ANNOUNCEMENTS:
            wrong += [p for p in P if id(p) not in right_ids]
        rows[kind] = (len(hit_g), len(G), len(hit_p), len(P))
    H = [g for g in gold if g["kind"] == "hire"]
    loose = sum(
        1
        for g in H
        if any(
            p["kind"] == "hire"
            and p["source"] == g["doc"]
            and norm_person(p.get("person")) == norm_person(g["person"])
            and norm_org(p.get("to_org")) == norm_org(g["to_org"])
            for p in pred
        )
    )
    dated = [g for g in gold if g["kind"] == "compute" and g.get("target_date")]
    ok_dates = sum(
        1 for g in dated if any(matches(g, p) and p.get("date") == g["target_date"] for p in pred)
    )
    bad = sum(
        1 for p in pred if rs.bodies.get(p["source"], "")[p["start"] : p["end"]] != p["quote"]
    )
    bands = []
    judged = [p for p in pred if p["kind"] != "announcement" or rs.name in EXHAUSTIVE_ANNOUNCEMENTS]
    for lo, hi in BANDS:
        inside = [p for p in judged if lo <= (p.get("confidence") or 0.0) < hi]
        label = f"{lo:.2f}-{min(hi, 1.0):.2f}"
        bands.append((label, sum(1 for p in inside if id(p) in right_ids), len(inside)))
    return Score(
        rs.name, len(rs.bodies), len(gold), rows, (loose, len(H)), (ok_dates, len(dated)), bad,
        bands, misses, wrong,
    )  # fmt: skip


def _pct(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def table(scores: list[Score]) -> str:
    head = (
        "| set | docs | facts | compute P / R / F1 | hire P / R / F1 | hire person+dest |"
        " announcement R | announcement P | mean |"
    )
    lines = [head, "|" + "---|" * 9]
    for s in scores:
        ann_p = s.precision("announcement") if s.name in EXHAUSTIVE_ANNOUNCEMENTS else None
        lines.append(
            f"| {s.name} | {s.docs} | {s.gold} "
            f"| {_pct(s.precision('compute'))} / {s.recall('compute'):.2f} / {s.f1('compute'):.2f} "
            f"| {_pct(s.precision('hire'))} / {s.recall('hire'):.2f} / {s.f1('hire'):.2f} "
            f"| {s.hire_loose[0]}/{s.hire_loose[1]} "
            f"| {s.recall('announcement'):.2f} ({s.rows['announcement'][0]}/{s.rows['announcement'][1]}) "
            f"| {_pct(ann_p)} | {s.mean:.2f} |"
        )
    return "\n".join(lines)


def calibration(scores: list[Score]) -> str:
    lines = ["| confidence | right / facts | share right |", "|---|---|---|"]
    for i, (label, _, _) in enumerate(scores[0].bands if scores else []):
        right = sum(s.bands[i][1] for s in scores)
        n = sum(s.bands[i][2] for s in scores)
        lines.append(
            f"| {label} | {right}/{n} | {right / n:.2f} |" if n else f"| {label} | 0/0 | - |"
        )
    return "\n".join(lines)


def _show(f: dict, bodies: dict[str, str]) -> str:
    keys = ("org", "chip", "quantity", "unit", "person", "from_org", "to_org", "subject", "date")
    fields = {k: f[k] for k in keys if f.get(k) is not None}
    if "confidence" in f:
        fields["conf"] = f["confidence"]
    quote = bodies.get(f.get("doc") or f.get("source"), "")[f["start"] : f["end"]]
    return f"  {f.get('doc') or f.get('source')} {f['kind']} {fields}\n      «{quote[:160]}»"


HOW_TO_GATHER = """no real articles are gathered under data/real/ yet.
Gather them as ../shared/eval/dev/README.md says, into data/real/dev/raw/<stem>.txt (and the
project's own set, tests/data/real/README.md, into data/real/own/raw/), then run make eval-real."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.eval_real", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--sets", nargs="*", help="only these sets (default: all gathered)")
    parser.add_argument("--details", action="store_true", help="list misses and wrong facts")
    args = parser.parse_args(argv)
    sets = [s for s in find_sets(args.data) if not args.sets or s.name in args.sets]
    if not sets:
        print(HOW_TO_GATHER)
        return 0
    scores = []
    for rs in sets:
        folder = prepare(rs)
        for problem in rs.problems:
            print(f"warning: {problem}", file=sys.stderr)
        pred = predict(folder)
        s = score(rs, pred)
        scores.append(s)
        if args.details:
            print(f"\n## {rs.name}: missed gold")
            for g in s.misses:
                print(_show(g, rs.bodies))
            print(f"\n## {rs.name}: wrong facts")
            for p in s.wrong:
                print(_show(p, rs.bodies))
    print(f"\nreal-article scores ({dt.date.today().isoformat()}):")
    print(table(scores))
    print("\nfacts right per confidence band (compute and hire; announcements where exhaustive):")
    print(calibration(scores))
    for s in scores:
        print(
            f"{s.name}: compute target dates right {s.dates[0]}/{s.dates[1]}; "
            f"spans not equal to their quote {s.bad_spans}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
