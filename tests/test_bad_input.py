"""Bad and hostile input files: each gets one clear outcome, nothing crashes, seeds keep their facts.

The corpus is the checked-in tests/data/bad/ (small files) plus cases made at run time: big,
binary, symlinked, piped and badly named files. Everything goes into one folder beside copies
of seeds/*.txt, which is built once through the library and once through the CLI; each row of
CASES then says what the build summary, the `etl_files` table and the CLI summary must show.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA, ROOT, SEEDS

from etl.build import build
from etl.extract import extract_text
from etl.load import connect
from etl.sources import LOADED, SKIPPED, WARNED, read_source

BAD = DATA / "bad"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
MB = 1024 * 1024

# Articles whose file name is the hazard: shell option, formula starter, markup, quotes.
NAMED = {
    "with space.txt": "Spaced dispatch\n\nThe name has spaces in it.\n",
    'it\'s "quoted".txt': "Quoted dispatch\n\nThe name has both kinds of quote.\n",
    "café ünïcode 日本.txt": "Unicode dispatch\n\nThe name is not ASCII.\n",
    "-rf.txt": "Dash dispatch\n\nMeta has hired Rex Dash from OpenAI as research lead.\n",
    "=1+2.txt": "Formula-named dispatch\n\nGoogle has hired Ivo Sum from Anthropic as chief scientist.\n",
    "@cmd.txt": "At-named dispatch\n\nThe name starts with an at sign.\n",
    "<img src=x onerror=alert(11)>.txt": (
        "Markup-named dispatch\n\nMicrosoft has hired Uma Tag from OpenAI as head of research.\n"
    ),
}


def hostile_folder(dst: Path) -> Path:
    """A folder of seeds/*.txt, the tests/data/bad/ corpus and the NAMED articles."""
    dst.mkdir(parents=True)
    for path in SEEDS.glob("*.txt"):
        shutil.copy(path, dst / path.name)
    for path in BAD.iterdir():
        if not path.name.startswith("."):
            shutil.copy(path, dst / path.name)
    for name, text in NAMED.items():
        (dst / name).write_text(text, "utf-8")
    return dst


# --- cases made at run time ---------------------------------------------------------------------


def _bytes(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


def _big(folder: Path) -> None:
    with (folder / "big.txt").open("wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * MB)


def _one_line(folder: Path) -> None:
    sentence = "The weather was mild and the markets were calm in the morning. "
    (folder / "one_line.txt").write_text((sentence * (MB // len(sentence) + 1))[:MB])


def _symlink(name: str, target: Callable[[Path], Path]) -> Callable[[Path], None]:
    return lambda folder: (folder / name).symlink_to(target(folder))


def _outside(folder: Path) -> Path:
    secret = folder.parent / "outside" / "secret.txt"
    secret.parent.mkdir(exist_ok=True)
    secret.write_text("Outside dispatch\n\nThis file lives outside the articles folder.\n")
    return secret


def _raw_name(raw: bytes, text: str) -> Callable[[Path], None]:
    """A file whose name is given as bytes (so it may be invalid UTF-8)."""

    def make(folder: Path) -> None:
        fd = os.open(os.fsencode(folder) + b"/" + raw, os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, text.encode())
        os.close(fd)

    return make


def _with_sidecar(name: str, make_sidecar: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        (folder / name).write_text(f"{name} dispatch\n\nAn article with an odd sidecar.\n")
        make_sidecar(folder / (Path(name).stem + ".meta.json"))

    return make


def _nested(folder: Path) -> None:
    (folder / "sub" / "deeper").mkdir(parents=True)
    (folder / "sub" / "deeper" / "nested.txt").write_text("Nested dispatch\n\nTwo folders down.\n")


def _hidden(folder: Path) -> None:
    (folder / ".hidden.txt").write_text("Hidden dispatch\n\nEditors keep such files.\n")


RANDOM = random.Random(7)


@dataclass(frozen=True)
class Case:
    """One input file and what the build must say about it."""

    name: str  # the file as the outcome names it, relative to the folder
    status: str
    reason: str = ""  # a substring of the outcome's reason; "" means the reason is empty
    make: Callable[[Path], None] | None = None  # None: the file is in tests/data/bad/ or NAMED


CASES = [
    # Empty and binary.
    Case("empty.txt", SKIPPED, "empty file"),
    Case("blank.md", SKIPPED, "empty file"),
    Case("nul.txt", SKIPPED, "binary file (contains NUL bytes)",
         _bytes("nul.txt", b"NUL dispatch\n\n" + b"\x00" * 64 + b" body")),
    Case("nul_late.txt", SKIPPED, "binary file (contains NUL characters)",
         _bytes("nul_late.txt", b"Late NUL dispatch\n\n" + b"word " * 2000 + b"\x00tail")),
    Case("random.txt", SKIPPED, "binary file", _bytes("random.txt", RANDOM.randbytes(4096))),
    Case("random_no_nul.txt", SKIPPED, "undecodable: not UTF-8",
         _bytes("random_no_nul.txt", bytes(RANDOM.randrange(1, 256) for _ in range(4096)))),
    Case("control.txt", SKIPPED, "binary file (mostly control characters)",
         _bytes("control.txt", bytes(RANDOM.randrange(1, 9) for _ in range(2000)))),
    # Encodings.
    Case("truncated_utf8.txt", WARNED, "truncated UTF-8: the incomplete last character was dropped"),
    Case("utf8_bom.txt", LOADED),
    Case("utf16_bom.txt", LOADED),
    Case("utf16_nul.txt", SKIPPED, "binary file (contains NUL characters)",
         _bytes("utf16_nul.txt", "NUL in UTF-16\n\na\x00b".encode("utf-16"))),
    Case("utf16_no_bom.txt", SKIPPED, "binary file (contains NUL bytes)",
         _bytes("utf16_no_bom.txt", "No BOM dispatch\n\nWide text.".encode("utf-16-le"))),
    Case("utf32.txt", LOADED, "",
         _bytes("utf32.txt", "Very wide dispatch\n\nFour bytes a letter.\n".encode("utf-32"))),
    Case("latin1.txt", WARNED, "not UTF-8 (bad byte at 1); decoded as"),
    # Size and shape.
    Case("big.txt", SKIPPED, "file too large: 52.4 MB (limit 10 MB)", _big),
    Case("one_line.txt", LOADED, "", _one_line),
    Case("deep.html", SKIPPED, "HTML nested too deeply",
         _bytes("deep.html", b"<body>" + b"<div>" * 5000 + b"Deep." + b"</div>" * 5000)),
    Case("deep_inline.html", WARNED, "no main article text found",
         _bytes("deep_inline.html", b"<body>" + b"<b>" * 100_000 + b"Deep inline dispatch.")),
    Case("sub/deeper/nested.txt", LOADED, "", _nested),
    Case("unsupported.csv", SKIPPED, "unsupported file type '.csv'"),
    # Names.
    Case("with space.txt", LOADED),
    Case('it\'s "quoted".txt', LOADED),
    Case("café ünïcode 日本.txt", LOADED),
    Case("-rf.txt", LOADED),
    Case("=1+2.txt", LOADED),
    Case("@cmd.txt", LOADED),
    Case("<img src=x onerror=alert(11)>.txt", LOADED),
    Case("line\\nbreak.txt", SKIPPED, "file name holds control or bidi characters",
         _bytes("line\nbreak.txt", b"Forged\n\nA newline in the name.\n")),
    Case("esc\\x1b[31mred.txt", SKIPPED, "file name holds control or bidi characters",
         _bytes("esc\x1b[31mred.txt", b"Escape\n\nA terminal escape in the name.\n")),
    Case("evil\\u202etxt.md", SKIPPED, "file name holds control or bidi characters",
         _bytes("evil\u202etxt.md", b"Bidi\n\nA right-to-left override in the name.\n")),
    Case("latin1-\\xe9.txt", SKIPPED, "file name is not valid UTF-8",
         _raw_name(b"latin1-\xe9.txt", "Raw name\n\nThe name is Latin-1 bytes.\n")),
    # Links, pipes and folders that are not plain files.
    Case("outside.txt", SKIPPED, "symlink to outside the seeds folder, not followed",
         _symlink("outside.txt", _outside)),
    Case("dangling.txt", SKIPPED, "cannot read file: No such file or directory",
         _symlink("dangling.txt", lambda folder: folder / "missing.txt")),
    Case("linked_dir", SKIPPED, "symlinked folder, not followed",
         _symlink("linked_dir", lambda folder: _outside(folder).parent)),
    Case("pipe.txt", SKIPPED, "not a regular file", lambda folder: os.mkfifo(folder / "pipe.txt")),
    # Hostile markup and formulas load as text (the dashboard and exports must keep them inert).
    Case("xss_article.txt", LOADED),
    Case("xss_page.html", LOADED),
    Case("xss_links.md", LOADED),
    Case("formulas.txt", LOADED),
    Case("formulas_tab.txt", LOADED),
    Case("formulas_cr.md", LOADED),
    Case("formulas_meta.txt", LOADED),
    # Sidecars: problems are warnings; the article still loads.
    Case("sidecar_invalid_json.txt", WARNED, "sidecar_invalid_json.meta.json ignored: invalid JSON"),
    Case("sidecar_list.txt", WARNED, "ignored: expected a JSON object"),
    Case("sidecar_wrong_types.txt", WARNED, "'published' must be a non-empty string; ignored"),
    Case("sidecar_unknown_keys.txt", WARNED, "unknown key '__proto__' ignored"),
    Case("sidecar_bad_values.txt", WARNED, "'publisher' holds control, bidi or invalid characters"),
    Case("orphan.meta.json", SKIPPED, "sidecar without an article"),
    Case("sidecar_big.txt", WARNED, "sidecar_big.meta.json ignored: sidecar too large",
         _with_sidecar("sidecar_big.txt", lambda p: p.write_text(
             json.dumps({"title": "x" * 100_000})))),
    Case("sidecar_deep.txt", WARNED, "invalid JSON (too deeply nested)",
         _with_sidecar("sidecar_deep.txt", lambda p: p.write_text("[" * 50_000))),
    Case("sidecar_link.txt", WARNED, "a symlink to outside the folder, not followed",
         _with_sidecar("sidecar_link.txt", lambda p: p.symlink_to(_outside(p.parent)))),
    Case("sidecar_pipe.txt", WARNED, "ignored: not a regular sidecar",
         _with_sidecar("sidecar_pipe.txt", os.mkfifo)),
]  # fmt: skip


# --- the builds ---------------------------------------------------------------------------------


@dataclass
class Built:
    folder: Path
    outcomes: dict[str, object]  # name relative to the folder -> FileOutcome
    files: dict[str, tuple[str, str]]  # name -> (status, reason) in the etl_files table
    facts: set[tuple]  # every fact row of the seed articles
    cli: subprocess.CompletedProcess


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=cwd, capture_output=True, text=True,
        timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def seed_facts(db: Path) -> set[tuple]:
    """Every column of every fact of the seed articles."""
    con = connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT * FROM facts WHERE list_contains($ids, source_id)", {"ids": SEED_IDS}
        ).fetchall()
    finally:
        con.close()
    return set(rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    """The hostile folder with every run-time case, built through the library and the CLI."""
    root = tmp_path_factory.mktemp("bad")
    folder = hostile_folder(root / "articles").resolve()
    for case in CASES:
        if case.make:
            case.make(folder)
    _hidden(folder)
    db = root / "lib.duckdb"
    result = build(folder, db)
    outcomes: dict[str, object] = {}
    for o in result.read.outcomes:
        name = o.path.removeprefix(str(folder) + "/")
        assert name not in outcomes, f"two outcomes for {name}"
        outcomes[name] = o
    con = connect(db, read_only=True)
    try:
        rows = con.execute("SELECT path, status, reason FROM etl_files").fetchall()
    finally:
        con.close()
    files = {p.removeprefix(str(folder) + "/"): (s, r) for p, s, r in rows}
    cli = run_cli("build", "--seeds", str(folder), "--db", str(root / "cli.duckdb"))
    return Built(folder, outcomes, files, seed_facts(db), cli)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_file_gets_its_outcome_in_summary_table_and_cli(built, case):
    outcome = built.outcomes[case.name]
    assert outcome.status == case.status, outcome.reason
    if case.reason:
        assert case.reason in outcome.reason
    else:
        assert outcome.reason == ""
    assert built.files[case.name] == (outcome.status, outcome.reason)
    line = f"  {outcome.status}: {outcome.path}: {outcome.reason}"
    if case.status == LOADED:
        assert outcome.path not in built.cli.stdout
    else:
        assert line in built.cli.stdout.splitlines()


def test_every_file_has_exactly_one_outcome(built):
    # Files a sidecar belongs to speak for it; hidden files are passed over on purpose.
    expected = {case.name for case in CASES}
    expected |= {p.name for p in SEEDS.glob("*.txt")}
    assert set(built.outcomes) == expected
    assert built.files.keys() == built.outcomes.keys()


def test_seed_facts_are_untouched_by_hostile_neighbours(built, seeds_db):
    assert built.facts == seed_facts(seeds_db)
    assert {o.status for n, o in built.outcomes.items() if Path(n).stem in SEED_IDS} == {LOADED}


def test_cli_summary_counts_and_cannot_be_forged_by_file_names(built):
    cli = built.cli
    assert cli.returncode == 3, cli.stderr  # done, with skipped files
    loaded = sum(o.status != SKIPPED for o in built.outcomes.values())
    skipped = sum(o.status == SKIPPED for o in built.outcomes.values())
    assert f"sources read: {loaded}   skipped: {skipped}" in cli.stdout
    # A name with a newline or a terminal escape must not add or colour a line.
    prefixes = (
        "built ",
        "  sources read: ",
        "  facts: ",
        "  skipped: ",
        "  loaded with warnings: ",
    )
    assert all(line.startswith(prefixes) for line in cli.stdout.splitlines()), cli.stdout
    assert "\x1b" not in cli.stdout and "\r" not in cli.stdout


def test_leading_dash_file_is_an_argument_not_an_option(built):
    """`-rf.txt` built from a folder is a source; named alone it needs `--`, like any CLI."""
    assert built.outcomes["-rf.txt"].source_id == "-rf"
    r = run_cli("extract", "--", "-rf.txt", cwd=built.folder)
    assert r.returncode == 0, r.stderr
    facts = [json.loads(line) for line in r.stdout.splitlines()]
    assert [(f["source"], f["kind"], f["person"]) for f in facts] == [("-rf", "hire", "Rex Dash")]
    r = run_cli("extract", "-rf.txt", cwd=built.folder)
    assert r.returncode == 2 and "usage:" in r.stderr  # a usage error, not a crash


def test_a_50_mb_file_is_skipped_without_reading_it(tmp_path):
    (tmp_path / "ok.txt").write_text("Small dispatch\n\nMeta has hired Al Ok from OpenAI.\n")
    build(tmp_path, tmp_path / "warm.duckdb")  # first-time imports allocate; not what we measure
    _big(tmp_path)
    tracemalloc.start()
    try:
        result = build(tmp_path, tmp_path / "big.duckdb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (big,) = [o for o in result.read.outcomes if o.path.endswith("big.txt")]
    assert big.status == SKIPPED and "file too large" in big.reason
    assert peak < 2 * MB, f"peak {peak / MB:.1f} MB while skipping a 50 MB file"


def test_hostile_markup_stays_text_and_scripts_stay_out(built):
    page = read_source(built.folder / "xss_page.html")
    assert "head script" not in page.text and "9,999,999" not in page.text  # <script> bodies
    assert "onload" not in page.text.replace("<svg onload=window.__pwned=1>", "")  # attributes
    assert "<script>window.__pwned=1</script>" in page.text  # escaped in the page: shown as text
    # The page names itself by its headline (trafilatura); either way it is one line of text.
    assert page.title == "<img src=x onerror=window.__pwned=1> markup shown as text"
    links = read_source(built.folder / "xss_links.md")
    assert "[the post](javascript:alert(10))" in links.text  # markdown is kept verbatim
    assert links.title == '"><script>window.__pwned=1</script> Links that must stay text'


def test_sidecar_strings_that_reach_the_database_are_one_clean_line(built):
    s = read_source(built.folder / "sidecar_bad_values.txt")
    assert (s.title, s.publisher, s.url, s.published) == ("Bad values dispatch", None, None, None)
    assert len(s.warnings) == 4
    meta = read_source(built.folder / "xss_article.txt")
    assert meta.url == 'https://example.com/a?q="><script>alert(6)</script>'  # http(s): kept


def _extract_seconds(text: str) -> float:
    started = time.perf_counter()
    extract_text("long", text, None)
    return time.perf_counter() - started


def test_extraction_time_grows_linearly_with_sentence_length():
    """A 1 MB file with no full stop is one sentence: its cost must not be quadratic."""
    clause = "Meta has hired Jane Doe from OpenAI as chief scientist, and xAI plans 100,000 H100 "
    short = min(_extract_seconds((clause * 100)[:4_000]) for _ in range(3))
    long = _extract_seconds((clause * 400)[:16_000])
    assert long < 8 * short, f"4x the text took {long / short:.0f}x the time"
