"""Claims: facts from different articles that state the same thing, and reports that disagree.

A report is one fact in one article. A claim gathers the facts that state the same thing:

- compute: the same organisation and unit, quantities within 2%, compatible status (equal, or
  one unspecified) and compatible dates (the same period at the coarser of their precisions);
- hire: the same person (accents, initials and a surname alone are the same person when the
  name is unambiguous) moving to the same destination;
- announcement: the same organisation and subject ("Llama 3" and "Meta's Llama 3 model"; the
  numbers in a subject must agree), with compatible dates.

`support` counts independent sources: syndicated copies of one article (near-identical text,
found by MinHash over word shingles) count once, and `sources.duplicate_of` names the original.

Conflicts link claims about the same thing whose values disagree: compute counts for the same
organisation, unit, status and target year that differ by more than 10%; one person reported
joining different organisations within 180 days; one announcement with dates that disagree
beyond their precision. Different status or period is never a conflict (100,000 operational and
200,000 planned can both be true).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import regex

SAME_QUANTITY = 0.02  # within 2%: one claim
CONFLICTING_QUANTITY = 0.10  # over 10% apart for the same thing and period: a conflict
SAME_PERIOD_DAYS = 180  # one person joining two organisations this close together: a conflict
DUPLICATE_JACCARD = (
    0.7  # estimated shingle overlap at or above which two articles are copies of one
)
SHINGLE_WORDS = 5
MINHASH_PERMUTATIONS = 128
LSH_BANDS = 32  # 32 bands of 4 rows: pairs above about 0.5 Jaccard become candidates
PRECISION_RANK = {"day": 0, "month": 1, "quarter": 2, "year": 3}
_rng = np.random.default_rng(20261204)
# Multiply-shift hashing (Dietzfelbinger): h(x) = (a*x + b) mod 2^64, top 32 bits. numpy's
# uint64 arithmetic wraps, which is exactly the mod 2^64.
_PERM_A = _rng.integers(1, 1 << 63, MINHASH_PERMUTATIONS, dtype=np.uint64) | np.uint64(1)
_PERM_B = _rng.integers(0, 1 << 63, MINHASH_PERMUTATIONS, dtype=np.uint64)


@dataclass
class Claim:
    claim_id: str
    kind: str
    values: dict  # the canonical fields
    fact_ids: list[str] = field(default_factory=list)
    source_ids: list[str] = field(default_factory=list)
    support: int = 0
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None


@dataclass
class Conflict:
    conflict_id: str
    kind: str
    reason: str
    claims: tuple[str, str]


# --- duplicates ---------------------------------------------------------------------------------


def minhash(text: str) -> np.ndarray:
    """A MinHash signature of the text's word 5-shingles (lower-cased words)."""
    words = regex.findall(r"\w+", text.lower())
    if len(words) < SHINGLE_WORDS:
        shingles = {" ".join(words)}
    else:
        shingles = {
            " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
        }
    hashes = np.fromiter(
        (zlib.crc32(s.encode("utf-8")) for s in shingles), dtype=np.uint64, count=len(shingles)
    )
    with np.errstate(over="ignore"):
        mixed = (_PERM_A * hashes[:, None] + _PERM_B) >> np.uint64(32)
    return mixed.min(axis=0).astype(np.uint32)


def signature_bytes(text: str) -> bytes:
    """The MinHash signature as bytes, for the sources table."""
    return minhash(text).tobytes()


def signature_of(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)


def duplicates(
    signatures: dict[str, np.ndarray],
    published: dict[str, dt.date | None],
    previous: dict[str, str] | None = None,
    changed: Iterable[str] = (),
) -> dict[str, str]:
    """Each copy's original: {source_id: original_id} for articles whose estimated shingle
    Jaccard with another is at least DUPLICATE_JACCARD (pairs sharing an LSH band are compared;
    copies of copies join one group). The original is the earliest published (then the
    smallest id).

    With `previous` (the last result) and `changed` (the ids added, replaced or removed since),
    only pairs with a changed article are looked for again, and a group that lost or changed a
    member is checked again pair by pair; the result is the same as comparing everything.
    """
    ids = list(signatures)
    if len(ids) < 2:
        return {}
    matrix = np.vstack([signatures[sid] for sid in ids])
    changed = set(changed)
    if previous is None or len(changed) * 10 > len(ids):  # many changes: compare everything
        pairs = _candidate_pairs(matrix)
    else:
        pairs = _pairs_to_check(ids, matrix, previous, changed)
    parent = {sid: sid for sid in signatures}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in _copies_among(matrix, pairs):
        parent[find(ids[int(i)])] = find(ids[int(j)])
    groups: dict[str, list[str]] = defaultdict(list)
    for sid in signatures:
        groups[find(sid)].append(sid)
    out = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        original = min(members, key=lambda s: (published.get(s) or dt.date.max, s))
        out.update({m: original for m in members if m != original})
    return out


def _copies_among(matrix: np.ndarray, pairs: np.ndarray, batch: int = 100_000) -> np.ndarray:
    """The candidate pairs whose estimated Jaccard reaches DUPLICATE_JACCARD (in batches, so a
    million candidates never make a million signature copies at once)."""
    hits = []
    for at in range(0, len(pairs), batch):
        part = pairs[at : at + batch]
        overlap = (matrix[part[:, 0]] == matrix[part[:, 1]]).mean(axis=1)
        hits.append(part[overlap >= DUPLICATE_JACCARD])
    return np.concatenate(hits) if hits else np.empty((0, 2), np.int64)


def _band_keys(matrix: np.ndarray, band: int) -> np.ndarray:
    """Each row's band as one 16-byte key: rows sharing a key are candidates."""
    rows = MINHASH_PERMUTATIONS // LSH_BANDS
    return np.ascontiguousarray(matrix[:, band * rows : (band + 1) * rows]).view(
        np.dtype((np.void, 4 * rows))
    )[:, 0]


def _candidate_pairs(matrix: np.ndarray) -> np.ndarray:
    """Index pairs (i < j) of rows that share at least one LSH band, each once."""
    n = len(matrix)
    found = []
    for band in range(LSH_BANDS):
        _, inverse = np.unique(_band_keys(matrix, band), return_inverse=True)
        order = np.argsort(inverse, kind="stable")
        bucket = inverse[order]
        start = np.flatnonzero(np.r_[True, bucket[1:] != bucket[:-1]])
        size = np.diff(np.r_[start, n])
        # sorted position p, in a bucket ending at e, pairs with the e - p - 1 after it
        later = np.repeat(start + size, size) - np.arange(n) - 1
        left = np.repeat(np.arange(n), later)
        step = np.arange(len(left)) - np.repeat(np.cumsum(later) - later, later) + 1
        a, b = order[left], order[left + step]
        found.append(np.minimum(a, b) * n + np.maximum(a, b))
    return _decoded(np.unique(np.concatenate(found)), n)


def _decoded(codes: np.ndarray, n: int) -> np.ndarray:
    return np.stack([codes // n, codes % n], axis=1).astype(np.int64)


def _pairs_to_check(
    ids: list[str], matrix: np.ndarray, previous: dict[str, str], changed: set[str]
) -> np.ndarray:
    """Candidate pairs after a change: each changed row with the rows sharing a band with it,
    the pairs inside the unchanged groups, and every banded pair inside a group that lost or
    changed a member (it may have come apart)."""
    n, at = len(ids), {sid: i for i, sid in enumerate(ids)}
    groups: dict[str, set[str]] = defaultdict(set)
    for copy, original in previous.items():
        groups[original].update((copy, original))
    codes = []
    focus = np.zeros(n, dtype=bool)
    focus[[at[sid] for sid in changed if sid in at]] = True
    if focus.any():
        for band in range(LSH_BANDS):
            _, inverse = np.unique(_band_keys(matrix, band), return_inverse=True)
            hit = np.isin(inverse, inverse[focus])
            rows = np.flatnonzero(hit)
            for i in np.flatnonzero(focus):
                same = rows[inverse[rows] == inverse[i]]
                same = same[same != i]
                codes.append(np.minimum(same, i) * n + np.maximum(same, i))
    for members in groups.values():
        rows = np.array(sorted(at[m] for m in members if m in at), dtype=np.int64)
        if len(rows) < 2:
            continue
        a, b = np.triu_indices(len(rows), 1)
        a, b = rows[a], rows[b]
        banded = (
            (matrix[a].reshape(len(a), LSH_BANDS, -1) == matrix[b].reshape(len(b), LSH_BANDS, -1))
            .all(axis=2)
            .any(axis=1)
        )
        codes.append(a[banded] * n + b[banded])
    if not codes:
        return np.empty((0, 2), np.int64)
    return _decoded(np.unique(np.concatenate(codes)), n)


# --- shared helpers -----------------------------------------------------------------------------


def _period(date: dt.date, precision: str | None) -> tuple:
    precision = precision or "day"
    if precision == "year":
        return (date.year,)
    if precision == "quarter":
        return (date.year, (date.month - 1) // 3)
    if precision == "month":
        return (date.year, date.month)
    return (date.year, date.month, date.day)


def dates_compatible(a, pa, b, pb) -> bool:
    """Whether two dates can be the same, at the coarser of their precisions (None: unknown)."""
    if a is None or b is None:
        return True
    coarser = pa if PRECISION_RANK.get(pa or "day", 0) >= PRECISION_RANK.get(pb or "day", 0) else pb
    return _period(a, coarser) == _period(b, coarser)


def _plain(text: str) -> str:
    """Lower-case ASCII words: accents, punctuation and case do not tell two names apart."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(regex.findall(r"[a-z0-9]+", ascii_text.lower()))


def _claim_id(kind: str, *parts: object) -> str:
    key = "\x1f".join([kind, *("" if p is None else str(p) for p in parts)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _mode(values: Iterable, default=None):
    counted = Counter(v for v in values if v is not None and v == v)
    return counted.most_common(1)[0][0] if counted else default


# --- people -------------------------------------------------------------------------------------


def person_ids(names: Iterable[str]) -> dict[str, str]:
    """Each name as written -> one key per person: full names by their plain spelling, and a
    surname alone or an initial with a surname joined to the one full name it fits."""
    from rapidfuzz import fuzz

    full: dict[str, dict[str, str]] = defaultdict(dict)  # surname -> plain full name -> key
    by_surname: dict[str, set[str]] = defaultdict(set)

    def partial(name: str) -> bool:  # a surname alone, or initials and a surname
        tokens = _plain(name).split()
        return len(tokens) < 2 or all(len(t) == 1 for t in tokens[:-1])

    names = sorted(set(names), key=lambda n: (partial(n), n))  # full names first
    out: dict[str, str] = {}
    for name in names:
        plain = _plain(name)
        tokens = plain.split()
        if not tokens:  # no Latin letters or digits ("张伟"): the name as written
            out[name] = name
            continue
        initials_only = all(len(t) == 1 for t in tokens[:-1])
        if len(tokens) >= 2 and not initials_only:
            same_surname = full[tokens[-1]]
            match = same_surname.get(plain) or next(
                (key for other, key in same_surname.items() if fuzz.ratio(other, plain) >= 90),
                None,
            )
            key = match or plain
            same_surname.setdefault(plain, key)
            by_surname[tokens[-1]].add(key)
            out[name] = key
            continue
        surname = tokens[-1]
        candidates = by_surname.get(surname, set())
        if len(tokens) >= 2:  # "S. Zhao": the full names with that surname and initial
            candidates = {k for k in candidates if k.split()[0].startswith(tokens[0])}
        out[name] = next(iter(candidates)) if len(candidates) == 1 else plain
    return out


@functools.lru_cache(maxsize=65536)
def _surname(name: str) -> str:
    tokens = _plain(name).split()
    return tokens[-1] if tokens else name


def block_of(kind: str, org: str | None, unit: str | None, person: str | None) -> tuple:
    """The part of the facts a claim or conflict can draw on: no claim and no conflict spans
    two blocks, so a build that changed a few facts recomputes only the blocks they are in.
    Compute groups within an organisation and unit, announcements within an organisation, and
    hires within a surname (every spelling `person_ids` joins shares its last plain word)."""
    if kind == "compute":
        return (kind, org, unit)
    if kind == "announcement":
        return (kind, org)
    if kind == "hire":
        return (kind, _surname(person) if person else None)
    return (kind,)


# --- subjects -----------------------------------------------------------------------------------

_GENERIC_SUBJECT_WORDS = frozenset(
    "a an the its new model models ai s series family version launch release of and".split()
)


@functools.lru_cache(maxsize=65536)
def subject_key(subject: str, org: str | None) -> tuple[str, frozenset[str]]:
    """A subject without its organisation's name, possessives and generic words, and its
    numbers (which must agree: Llama 2 is not Llama 3)."""
    text = _plain(subject)
    if org:
        text = regex.sub(rf"\b{regex.escape(_plain(org))}\b", " ", text)
    words = [w for w in text.split() if w not in _GENERIC_SUBJECT_WORDS]
    numbers = frozenset(w for w in words if any(ch.isdigit() for ch in w))
    return " ".join(words), numbers


def same_subject(a: tuple[str, frozenset], b: tuple[str, frozenset]) -> bool:
    from rapidfuzz import fuzz

    if a[1] != b[1] or not a[0] or not b[0]:
        return a == b
    return fuzz.token_set_ratio(a[0], b[0]) >= 90


# --- grouping -----------------------------------------------------------------------------------


def derive(
    facts: Sequence[dict],
    published: dict[str, dt.date | None],
    duplicate_of: dict[str, str] | None = None,
) -> tuple[list[Claim], list[Conflict]]:
    """Claims and conflicts from fact rows (dicts with the facts table's columns)."""
    duplicate_of = duplicate_of or {}
    claims: list[Claim] = []
    conflicts: list[Conflict] = []
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for f in sorted(facts, key=lambda f: f["fact_id"]):  # ties in canonical values: by fact id
        by_kind[f["kind"]].append(f)
    compute_claims = _compute_claims(by_kind["compute"])
    hire_claims = _hire_claims(by_kind["hire"])
    announcement_groups = _announcement_claims(by_kind["announcement"])
    source_of = {f["fact_id"]: f["source_id"] for f in facts}
    for claim in compute_claims + hire_claims + [c for g in announcement_groups for c in g]:
        _finish(claim, source_of, published, duplicate_of)
        claims.append(claim)
    conflicts += _compute_conflicts(compute_claims)
    conflicts += _hire_conflicts(hire_claims, by_kind["hire"], published)
    for group in announcement_groups:
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if not dates_compatible(
                    a.values["date"], a.values["date_precision"],
                    b.values["date"], b.values["date_precision"],
                ):  # fmt: skip
                    conflicts.append(
                        _conflict("announcement", "dates disagree beyond their precision", a, b)
                    )
    return claims, conflicts


def _conflict(kind: str, reason: str, a: Claim, b: Claim) -> Conflict:
    pair = tuple(sorted((a.claim_id, b.claim_id)))
    return Conflict(_claim_id("conflict", kind, *pair), kind, reason, pair)


def _finish(claim: Claim, source_of: dict[str, str], published, duplicate_of) -> None:
    sources = sorted({source_of[fid] for fid in claim.fact_ids})
    claim.source_ids = sources
    claim.support = len({duplicate_of.get(s, s) for s in sources})
    seen = [published.get(s) for s in sources if published.get(s) is not None]
    claim.first_seen = min(seen) if seen else None
    claim.last_seen = max(seen) if seen else None


def _compute_claims(facts: list[dict]) -> list[Claim]:
    groups: dict[tuple, list[list[dict]]] = defaultdict(list)
    for f in sorted(facts, key=lambda f: (f["quantity"] or 0, f["fact_id"])):
        if not f.get("org") or not f.get("quantity"):
            continue
        clusters = groups[(f["org"], f["unit"])]
        for cluster in reversed(clusters):  # ascending quantities: only the last few are near
            if cluster[0]["quantity"] < f["quantity"] * (1 - SAME_QUANTITY):
                clusters.append([f])
                break
            if _joins_compute(cluster, f):
                cluster.append(f)
                break
        else:
            clusters.append([f])
    out = []
    for (org, unit), clusters in groups.items():
        for cluster in clusters:
            values = {
                "org": org,
                "unit": unit,
                "quantity": _mode(f["quantity"] for f in cluster),
                "chip": _mode(f.get("chip") for f in cluster),
                "status": _mode(
                    (f["status"] for f in cluster if f["status"] != "unspecified"), "unspecified"
                ),
                **_best_date(cluster),
            }
            cid = _claim_id(
                "compute", org, unit, values["quantity"], values["status"], values["date"]
            )
            out.append(Claim(cid, "compute", values, sorted(f["fact_id"] for f in cluster)))
    return out


def _joins_compute(cluster: list[dict], f: dict) -> bool:
    for other in cluster:
        q, oq = f["quantity"], other["quantity"]
        if abs(q - oq) > SAME_QUANTITY * max(q, oq):
            return False
        if "unspecified" not in (f["status"], other["status"]) and f["status"] != other["status"]:
            return False
        if not dates_compatible(
            f["date"], f["date_precision"], other["date"], other["date_precision"]
        ):
            return False
    return True


def _best_date(cluster: list[dict]) -> dict:
    dated = [f for f in cluster if f.get("date") is not None]
    if not dated:
        return {"date": None, "date_precision": None}
    best = min(
        dated, key=lambda f: (PRECISION_RANK.get(f["date_precision"] or "day", 0), f["fact_id"])
    )
    return {"date": best["date"], "date_precision": best["date_precision"]}


def _hire_claims(facts: list[dict]) -> list[Claim]:
    ids = person_ids(f["person"] for f in facts if f.get("person"))
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for f in facts:
        if f.get("person") and f.get("to_org"):
            groups[(ids[f["person"]], f["to_org"])].append(f)
    out = []
    for (person_key, to_org), members in groups.items():
        names = Counter(f["person"] for f in members)
        person = max(names, key=lambda n: (len(n.split()), names[n], n))
        values = {
            "person": person,
            "person_key": person_key,
            "to_org": to_org,
            "from_org": _mode(f.get("from_org") for f in members),
            "from_orgs": sorted({f["from_org"] for f in members if f.get("from_org")}),
            "role": _mode(f.get("role") for f in members),
            **_best_date(members),
        }
        cid = _claim_id("hire", person_key, to_org)
        out.append(Claim(cid, "hire", values, sorted(f["fact_id"] for f in members)))
    return out


def _hire_conflicts(claims: list[Claim], facts: list[dict], published) -> list[Conflict]:
    rows = {f["fact_id"]: f for f in facts}

    def when(claim: Claim) -> list[dt.date]:
        out = []
        for fid in claim.fact_ids:
            f = rows[fid]
            d = f.get("date") or published.get(f["source_id"])
            if d is not None:
                out.append(d)
        return out

    by_person: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_person[c.values["person_key"]].append(c)
    conflicts = []
    for group in by_person.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.values["to_org"] == b.values["to_org"] or _one_after_the_other(a, b):
                    continue
                close = any(abs((x - y).days) <= SAME_PERIOD_DAYS for x in when(a) for y in when(b))
                if close:  # named in the order they were reported
                    first, then = sorted((a, b), key=lambda c: (min(when(c), default=dt.date.max),
                                                                c.values["to_org"]))  # fmt: skip
                    reason = (
                        f"{first.values['person']} reported joining {first.values['to_org']} and "
                        f"{then.values['to_org']} within {SAME_PERIOD_DAYS} days"
                    )
                    conflicts.append(_conflict("hire", reason, a, b))
    return conflicts


def _one_after_the_other(a: Claim, b: Claim) -> bool:
    """Whether one move starts where the other ended ("the former Scale AI CEO joined Meta"
    and "he founded Scale AI"): a sequence, not two reports that disagree."""
    orgs_a = {f for f in a.values.get("from_orgs", ()) if f}
    orgs_b = {f for f in b.values.get("from_orgs", ()) if f}
    return b.values["to_org"] in orgs_a or a.values["to_org"] in orgs_b


def _compute_conflicts(claims: list[Claim]) -> list[Conflict]:
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        v = c.values
        if v["status"] == "unspecified" or v["date"] is None:
            continue  # no stated status or target period: nothing to disagree about
        groups[(v["org"], v["unit"], v["status"], v["date"].year)].append(c)
    conflicts = []
    for (org, unit, status, year), group in groups.items():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                qa, qb = a.values["quantity"], b.values["quantity"]
                if abs(qa - qb) > CONFLICTING_QUANTITY * max(qa, qb):
                    reason = f"{org}: {qa:,} vs {qb:,} {unit} {status} for {year}"
                    conflicts.append(_conflict("compute", reason, a, b))
    return conflicts


def _announcement_claims(facts: list[dict]) -> list[list[Claim]]:
    """Claims grouped by the thing announced: one list per (organisation, subject), holding one
    claim per set of compatible dates (several claims in a list disagree on the date)."""
    from rapidfuzz import fuzz, process

    things: list[tuple[str, tuple, list[dict]]] = []
    # (org, numbers) -> {subject words: index in things}: exact first, then the closest spelling
    index: dict[tuple, dict[str, int]] = defaultdict(dict)
    for f in sorted(facts, key=lambda f: f["fact_id"]):
        if not f.get("org") or not f.get("subject"):
            continue
        key = subject_key(f["subject"], f["org"])
        bucket = index[(f["org"], key[1])]
        at = bucket.get(key[0])
        if at is None and key[0] and bucket:
            best = process.extractOne(
                key[0], list(bucket), scorer=fuzz.token_set_ratio, score_cutoff=90
            )
            at = bucket[best[0]] if best else None
        if at is None:
            at = len(things)
            things.append((f["org"], key, []))
        bucket.setdefault(key[0], at)
        things[at][2].append(f)
    out = []
    for org, key, members in things:
        clusters: list[list[dict]] = []
        dated = sorted(
            (f for f in members if f["date"] is not None),
            key=lambda f: PRECISION_RANK.get(f["date_precision"] or "day", 0),
        )
        for f in dated:
            for cluster in clusters:
                if all(
                    dates_compatible(f["date"], f["date_precision"], o["date"], o["date_precision"])
                    for o in cluster
                ):
                    cluster.append(f)
                    break
            else:
                clusters.append([f])
        undated = [f for f in members if f["date"] is None]
        if not clusters:
            clusters = [undated]
        else:
            max(clusters, key=len).extend(undated)
        group = []
        for cluster in clusters:
            subject = max(
                Counter(f["subject"] for f in cluster).items(), key=lambda kv: (kv[1], -len(kv[0]))
            )[0]
            values = {
                "org": org,
                "subject": subject,
                "subject_key": key[0],
                "category": _mode(f.get("category") for f in cluster),
                **_best_date(cluster),
            }
            cid = _claim_id("announcement", org, key[0], values["date"])
            group.append(Claim(cid, "announcement", values, sorted(f["fact_id"] for f in cluster)))
        out.append(group)
    return out
