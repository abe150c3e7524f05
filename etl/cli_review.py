"""Command line for claims and analyst reviews: `claims`, `review`, `reviews`, `score`.

A review is recorded in the review log (user data, etl/reviews.py) and then applied by the
incremental build, which `review` runs at once unless given --no-build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from etl import load, reviews

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(sub, default_db: Path, default_seeds: Path) -> None:
    p = sub.add_parser("claims", help="claims (or conflicts) as JSON lines, one per line")
    p.add_argument("--db", type=Path, default=default_db)
    p.add_argument("--conflicts", action="store_true", help="print the conflicts instead")

    p = sub.add_parser(
        "review",
        help="verify, reject or correct a fact, or add a missing one",
        description="python -m etl review FACT_ID --verify|--reject|--correct FIELD=VALUE... "
        "[--note TEXT]   or   python -m etl review --add --source ID --kind KIND --quote TEXT "
        "FIELD=VALUE...",
    )
    p.add_argument("fact_id", nargs="?", help="the fact to review (see the Fact id column)")
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument("--verify", action="store_true")
    action.add_argument("--reject", action="store_true")
    action.add_argument("--correct", nargs="+", metavar="FIELD=VALUE")
    action.add_argument("--add", action="store_true", help="add a fact the extractor missed")
    p.add_argument("fields", nargs="*", metavar="FIELD=VALUE", help="with --add")
    p.add_argument("--source", help="with --add: the article's source id")
    p.add_argument("--kind", choices=reviews.KINDS, help="with --add")
    p.add_argument("--quote", help="with --add: the exact text of the fact in the article")
    p.add_argument("--note", help="why (kept with the review)")
    p.add_argument("--db", type=Path, default=default_db)
    p.add_argument("--seeds", type=Path, default=default_seeds, help="for the build after")
    p.add_argument("--no-build", action="store_true", help="record only; the next build applies it")

    p = sub.add_parser("reviews", help="every review in the log and what it attached to")
    p.add_argument("--db", type=Path, default=default_db)

    p = sub.add_parser("score", help="how right the extractor is")
    p.add_argument("--reviews", action="store_true", required=True,
                   help="precision on the facts analysts reviewed, per kind")  # fmt: skip
    p.add_argument("--db", type=Path, default=default_db)


def run(args: argparse.Namespace, build) -> int | None:
    """Run one of these commands; None if `args.command` is not one of them."""
    handler = {"claims": _claims, "review": _review, "reviews": _reviews, "score": _score}.get(
        args.command
    )
    if handler is None:
        return None
    if args.command != "review" and not args.db.exists():
        print(
            f"error: database {args.db} does not exist; run `python -m etl build`", file=sys.stderr
        )
        return EXIT_FAILED
    return handler(args, build)


def _json(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _print_json(row: dict) -> None:
    try:
        print(json.dumps({k: _json(v) for k, v in row.items()}, ensure_ascii=False))
    except BrokenPipeError:  # `... | head`: the reader has what it wanted
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        raise SystemExit(EXIT_OK) from None


CANONICAL = {
    "compute": ("org", "unit", "chip", "quantity", "status", "date", "date_precision"),
    "hire": ("person", "from_org", "to_org", "role", "date", "date_precision"),
    "announcement": ("org", "subject", "category", "date", "date_precision"),
}


def _claims(args, build) -> int:
    if args.conflicts:
        for c in load.conflict_rows(args.db):
            _print_json(
                {"conflict_id": c["conflict_id"], "kind": c["kind"], "reason": c["reason"],
                 "claims": [c["claim_a"], c["claim_b"]]}
            )  # fmt: skip
        return EXIT_OK
    for c in load.claim_rows(args.db):
        row = {"claim_id": c["claim_id"], "kind": c["kind"]}
        row.update({k: c[k] for k in CANONICAL[c["kind"]]})
        row.update(
            support=c["support"], first_seen=c["first_seen"], last_seen=c["last_seen"],
            source_ids=c["source_ids"], fact_ids=c["fact_ids"],
        )  # fmt: skip
        _print_json(row)
    return EXIT_OK


def _review(args, build) -> int:
    if not args.db.exists():
        print(
            f"error: database {args.db} does not exist; run `python -m etl build`", file=sys.stderr
        )
        return EXIT_FAILED
    try:
        if args.add and args.fact_id and "=" in args.fact_id:  # the first FIELD=VALUE
            args.fields, args.fact_id = [args.fact_id, *args.fields], None
        if args.add:
            if args.fact_id or not (args.source and args.kind and args.quote):
                print(
                    "error: --add takes --source, --kind and --quote (and no FACT_ID)",
                    file=sys.stderr,
                )
                return EXIT_USAGE
            found = load.source_for_review(args.db, args.source)
            if found is None:
                print(f"error: no source {args.source!r} in {args.db}", file=sys.stderr)
                return EXIT_FAILED
            sha, text = found
            entry = reviews.record_added_fact(
                args.source, sha, text, args.kind, args.quote, reviews.parse_fields(args.fields),
                args.note,
            )  # fmt: skip
            print(
                f"added {args.kind} fact {entry['fact_id']} to {args.source} (review {entry['review_id']})"
            )
        else:
            if not args.fact_id:
                print("error: give the FACT_ID to review", file=sys.stderr)
                return EXIT_USAGE
            if args.fields:
                print("error: FIELD=VALUE goes after --correct", file=sys.stderr)
                return EXIT_USAGE
            found = load.fact_for_review(args.db, args.fact_id)
            if found is None:
                print(f"error: no fact {args.fact_id!r} in {args.db}", file=sys.stderr)
                return EXIT_FAILED
            fact, sha = found
            action = "verify" if args.verify else "reject" if args.reject else "correct"
            fields = reviews.parse_fields(args.correct or [])
            entry = reviews.record_review(action, fact, sha, fields, args.note)
            print(f"{action}: fact {args.fact_id} (review {entry['review_id']})")
    except reviews.ReviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"recorded in {reviews.reviews_path()}")
    if args.no_build:
        return EXIT_OK
    code = build(args.seeds, args.db)
    return EXIT_OK if code in (0, 3) else code


def _reviews(args, build) -> int:
    entries, warnings = reviews.read_log()
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    state = {r["review_id"]: r for r in load.review_rows(args.db)}
    for e in entries:
        applied = state.get(e["review_id"])
        where = (
            "not applied yet (run a build)"
            if applied is None
            else f"fact {applied['fact_id']}"
            if applied["attached"]
            else "ORPHANED"
        )
        fields = " ".join(f"{k}={v}" for k, v in (e.get("fields") or {}).items())
        note = f"  note: {e['note']}" if e.get("note") else ""
        print(f"{e['at'][:19]}  {e['action']:<7} {e.get('kind') or '':<12} {where}  {fields}{note}")
    orphaned = sum(1 for r in state.values() if not r["attached"])
    print(f"{len(entries)} reviews in {reviews.reviews_path()}; {orphaned} orphaned")
    return EXIT_OK


def _score(args, build) -> int:
    print("kind          reviewed  verified  corrected  rejected  precision  added by analysts")
    for r in load.review_scores(args.db):
        right = r["verified"] + r["corrected"]
        precision = f"{right / r['reviewed']:.2f}" if r["reviewed"] else "-"
        print(
            f"{r['kind']:<13} {r['reviewed']:>8}  {r['verified']:>8}  {r['corrected']:>9}  "
            f"{r['rejected']:>8}  {precision:>9}  {r['added']:>17}"
        )
    print(
        "precision = (verified + corrected) / reviewed: a corrected fact was found, with a detail wrong"
    )
    return EXIT_OK
