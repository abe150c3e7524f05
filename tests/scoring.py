"""Precision and recall of extracted facts against hand-written gold (tests/data/gold/*.jsonl).

A predicted fact matches a gold fact of the same source and kind when its key agrees:
compute -> quantity and unit; hire -> person; announcement -> subject (token overlap).
Matching is one-to-one. Attribute accuracy is reported over matched pairs.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("compute", "hire", "announcement")
ATTRIBUTES = {
    "compute": ("org", "chip", "status", "date"),
    "hire": ("from_org", "to_org", "role", "date"),
    "announcement": ("org", "category", "date"),
}
STOP = {"the", "a", "an", "its", "new", "of", "and", "s"}


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _tokens(text: str | None) -> set[str]:
    return {t for t in _norm(text).split() if t not in STOP}


def subjects_match(a: str | None, b: str | None) -> bool:
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    return ta <= tb or tb <= ta or len(ta & tb) / len(ta | tb) >= 0.5


def keys_match(pred: dict, gold: dict) -> bool:
    if pred["source"] != gold["source"] or pred["kind"] != gold["kind"]:
        return False
    if gold["kind"] == "compute":
        return pred.get("quantity") == gold.get("quantity") and pred.get("unit") == gold.get("unit")
    if gold["kind"] == "hire":
        return _norm(pred.get("person")) == _norm(gold.get("person"))
    return subjects_match(pred.get("subject"), gold.get("subject"))


def _attr_equal(name: str, p, g) -> bool:
    if name == "role":
        return (p is None) == (g is None) and (g is None or bool(_tokens(p) & _tokens(g)))
    return p == g


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    attr_hits: dict = field(default_factory=lambda: defaultdict(int))
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(predicted: list[dict], gold: list[dict]) -> dict[str, Score]:
    """Per-kind scores of `predicted` facts (extract's JSON shape) against `gold`."""
    out = {k: Score() for k in KINDS}
    sources = {g["source"] for g in gold}
    predicted = [p for p in predicted if p["source"] in sources]
    used: set[int] = set()
    for g in gold:
        s = out[g["kind"]]
        hit = next((i for i, p in enumerate(predicted) if i not in used and keys_match(p, g)), None)
        if hit is None:
            s.fn += 1
            s.misses.append(g)
            continue
        used.add(hit)
        s.tp += 1
        for name in ATTRIBUTES[g["kind"]]:
            if _attr_equal(name, predicted[hit].get(name), g.get(name)):
                s.attr_hits[name] += 1
    for i, p in enumerate(predicted):
        if i not in used:
            out[p["kind"]].fp += 1
            out[p["kind"]].extras.append(p)
    return out


def report(scores: dict[str, Score]) -> str:
    lines = []
    for kind, s in scores.items():
        attrs = ", ".join(f"{n} {s.attr_hits[n]}/{s.tp}" for n in ATTRIBUTES[kind])
        lines.append(
            f"{kind:13s} P={s.precision:.2f} R={s.recall:.2f} (tp={s.tp} fp={s.fp} fn={s.fn})  {attrs}"
        )
    return "\n".join(lines)
