"""`make soak`: concurrent browser sessions walk every page and filter of one dashboard server.

Ten headless Chromium sessions (one browser, one context each, so one Streamlit session each)
take seeded random walks for two minutes: opening pages by URL with filters in the query,
clicking the sidebar nav, changing the sidebar filters and the Facts explorer's search, kinds
and sort through the UI, reloading and resetting. Each action is timed from its start until
its page is ready: the server has finished the script run the action caused (as its websocket
says) and the DOM is idle and shows the right page.

Errors (there must be none): an exception or error box on a page, a script run that failed,
a page error or console error in the browser, an HTTP 5xx, a traceback in the server's log,
any request to a host other than 127.0.0.1, and an action with no ready page within 30 s.
The report adds page-ready p50/p95/max (overall, per page, per action), the server's peak RSS
and the CPU time of the server and of the browser side, and is also written as JSON.

    python -m bench.soak [--sessions 10] [--seconds 120] [--ramp 30] [--db PATH] [--out PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from google.protobuf.message import DecodeError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.measure import server_pid, status_kb
from etl.load import connect

ROOT = Path(__file__).resolve().parent.parent
# tests/ is not a package: the browser harness and the page list live there, shared with the
# e2e tests so the soak drives the same pages with the same launch flags.
sys.path.insert(0, str(ROOT / "tests"))
from e2e_server import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from test_e2e import IDLE_JS, PAGES  # noqa: E402

try:
    from playwright.async_api import Browser, Page, async_playwright
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import TimeoutError as PlaywrightTimeout
except ImportError:  # main() says how to install it
    async_playwright = None
    PlaywrightError = PlaywrightTimeout = Exception

READY_TIMEOUT_S = 30.0  # an action without a ready page by then is an error
THINK_S = (0.5, 1.5)  # seconds a session waits between actions, as a reader would
READY_TIMEOUT_MS = int(READY_TIMEOUT_S * 1000)
SETTLE_S = 0.25  # a rerun can start just after the first one ends (as in tests/test_e2e.py)
POLL_MS = 50  # how often the ready predicate is checked: the timing resolution
RSS_EVERY_S = 0.5
MAX_ERROR_SAMPLES = 20
VIEWPORT = {"width": 1400, "height": 900}
LOCAL_HOSTS = {"127.0.0.1"}
FILTER_PARAMS = ("source", "org", "dates", "undated")  # what "Reset filters" clears
SORTS = ("date", "kind", "organisation", "source", "quantity")
KIND_LABELS = ("Compute", "Hire", "Announcement")
# Script runs that drew a page (a run cut short by a newer one is followed by that one).
RUN_DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
TITLES = {path: title for _, path, title in PAGES}
# Opened at a page's own URL (/hiring), Streamlit's frontend looks for its server under that path
# first (/hiring/_stcore/health, .../host-config), gets a 404 and then finds it at the root. The
# browser logs each 404 as a console error although nothing failed, so these (and only these) are
# counted apart as benign.
PROBE_404 = re.compile(
    r"^/(?:" + "|".join(re.escape(p.strip("/")) for _, p, _ in PAGES if p != "/") + r")"
    r"/_stcore/(?:health|host-config)$"
)
NAMES = {path: name for name, path, _ in PAGES}
# A warning Streamlit logs with its stack: "<date> <time> <message>" then "Stack (most recent…".
SERVER_WARNING = re.compile(
    r"^\d{4}-\d\d-\d\d [\d:.]+ (.+)\nStack \(most recent call last\)", re.MULTILINE
)

# Ready = idle (no run in flight, nothing stale), the h1 is `title`, and the URL moved on from
# `before` when the action should change it. One predicate, so it is checked atomically.
READY_JS = f"""([before, title]) => {{
  if (!({IDLE_JS})()) return false;
  if (before !== null && location.href === before) return false;
  if (title === null) return true;
  const h1 = document.querySelector('[data-testid="stMain"] h1');
  return h1 !== null && h1.innerText.trim() === title;
}}"""
STATE_JS = """() => ({
  status: document.querySelector('[data-testid="stStatusWidget"]')?.innerText ?? null,
  stale: document.querySelectorAll('[data-stale="true"]').length,
  skeletons: document.querySelectorAll('[data-testid="stSkeleton"]').length,
  h1: document.querySelector('[data-testid="stMain"] h1')?.innerText ?? null,
})"""
# Exceptions, and error boxes outside them (an exception draws its own error box). The text
# stops before the exception's "Copy / Ask Google" buttons.
PROBLEMS_JS = """() => {
  const text = e => e.innerText.split('\\nCopy\\n')[0].slice(0, 800);
  const boxes = [...document.querySelectorAll('[data-testid="stAlertContentError"]')]
    .filter(e => !e.closest('[data-testid="stException"]'));
  return [...document.querySelectorAll('[data-testid="stException"]')]
    .map(e => 'exception: ' + text(e))
    .concat(boxes.map(e => 'error box: ' + text(e)));
}"""


@dataclass(frozen=True)
class Corpus:
    """What the database holds that the walk can ask for: real ids and names, not guesses."""

    source_ids: list[str]
    orgs: list[str]
    search_terms: list[str]


@dataclass
class Tally:
    """Everything the sessions measured (one event loop, so no locks)."""

    # (action, page, ms to the first script run finished on the server, ms to a ready page)
    ready: list[tuple[str, str, float, float]] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)
    benign: dict[str, int] = field(default_factory=dict)
    runs: list[float] = field(default_factory=list)  # ms from a run's start to its end
    start: float = field(default_factory=time.monotonic)

    def error(self, session: int, kind: str, detail: str) -> None:
        self.errors += 1
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if len(self.samples) < MAX_ERROR_SAMPLES:
            at = time.monotonic() - self.start
            self.samples.append(f"session {session} at {at:.0f} s: {kind}: {detail}")


class NotReady(Exception):
    """No page became ready within READY_TIMEOUT_MS."""


class NotApplicable(Exception):
    """The drawn action makes no sense in the page's current state; draw another."""


def read_corpus(db: Path) -> Corpus:
    """Source ids, organisation names and a few search terms from the database."""
    con = connect(db, read_only=True)
    try:
        ids = [r[0] for r in con.execute("SELECT source_id FROM sources").fetchall()]
        orgs = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT o FROM (SELECT org AS o FROM facts UNION SELECT from_org FROM"
                " facts UNION SELECT to_org FROM facts) WHERE o IS NOT NULL ORDER BY o"
            ).fetchall()
        ]
        people = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT person FROM facts WHERE person IS NOT NULL ORDER BY 1"
            ).fetchall()
        ]
    finally:
        con.close()
    if not ids:
        raise SystemExit(f"{db} holds no sources: nothing to soak")
    # A term with no match is kept on purpose: the empty state is a page too.
    terms = ["GPU", "model", "zz-no-such-text-zz", *orgs[:6], *(p.split()[-1] for p in people[:3])]
    return Corpus(ids, orgs, terms)


def build_db(tmp: Path) -> Path:
    """A fresh database from seeds/ in `tmp`, so the soak never touches data/."""
    db = tmp / "tracker.duckdb"
    subprocess.run(
        [sys.executable, "-m", "etl", "build", "--seeds", "seeds", "--db", str(db)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return db


# --- the server's memory ----------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """Every process's children, from each one's parent id in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # The command name can hold spaces and parentheses: fields start after the last ')'.
                stat = (entry / "stat").read_text()
                parent = int(stat[stat.rindex(")") + 2 :].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    return children


def process_tree(root: int, children: dict[int, list[int]] | None = None) -> list[int]:
    """`root` and all its descendants."""
    children = _children() if children is None else children
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _cpu_s(pids: list[int]) -> float:
    """User plus system CPU seconds the live processes `pids` have used so far."""
    ticks = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()  # fields[0] is the state (field 3)
            ticks += int(fields[11]) + int(fields[12])  # utime and stime (fields 14 and 15)
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")


def _client_part(pid: int) -> str:
    """Which part of this side a process is: chromium, the playwright driver, or the soak."""
    # The program's name from argv[0], not comm: Chromium calls its children "chr" and node its
    # threads "node-MainThread"; Chromium also rewrites a child's argv into one spaced string.
    try:
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode().lower()
    except (OSError, UnicodeDecodeError):
        return "soak"
    name = (argv0.split() or [""])[0].rsplit("/", 1)[-1]
    if "chrom" in name:
        return "chromium"
    return "playwright driver" if name == "node" else "soak"


def _usage(server: int, parts: dict[int, str]) -> tuple[list[int], dict[str, float]]:
    """The server's processes, and the CPU seconds used so far by it and by each part of this
    side (the server is our child too, but is counted apart). `parts` remembers what each
    process is: an exiting one loses its command line before its CPU time."""
    children = _children()
    tree = process_tree(server, children)
    cpu = {"server": _cpu_s(tree)}
    for pid in set(process_tree(os.getpid(), children)) - set(tree):
        part = parts.setdefault(pid, _client_part(pid))
        cpu[part] = cpu.get(part, 0.0) + _cpu_s([pid])
    return tree, cpu


async def monitor(
    pid: int, rss: dict[str, float], cpu: dict[str, float], stop: asyncio.Event
) -> None:
    """Every RSS_EVERY_S, the server tree's resident memory (peak, first, last) and the CPU
    time used by the server and by this side (the soak, Playwright's driver and Chromium), so
    slow pages can be put down to one side or the other."""
    parts: dict[int, str] = {}
    _, start = _usage(pid, parts)
    while not stop.is_set():
        tree, used = _usage(pid, parts)
        mb = sum(status_kb(p, "VmRSS") for p in tree) / 1024
        rss["peak_mb"] = max(rss.get("peak_mb", 0.0), mb)
        rss.setdefault("first_mb", mb)
        rss["last_mb"] = mb
        rss["samples"] = rss.get("samples", 0) + 1
        # Cumulative, but a process takes its CPU time along when it exits: keep the maximum.
        for part, seconds in used.items():
            cpu[part] = max(cpu.get(part, 0.0), seconds - start.get(part, 0.0))
        try:
            await asyncio.wait_for(stop.wait(), RSS_EVERY_S)
        except TimeoutError:
            pass


# --- one session ------------------------------------------------------------------------------


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _path(url: str) -> str:
    return urlsplit(url).path or "/"


def random_url(rng: random.Random, corpus: Corpus) -> str:
    """A page path, maybe with filters in its query as a shared link would carry them."""
    path = rng.choice([p for _, p, _ in PAGES])
    query: list[tuple[str, str]] = []
    if rng.random() < 0.4:
        query += [("source", s) for s in rng.sample(corpus.source_ids, rng.randint(1, 2))]
    if corpus.orgs and rng.random() < 0.3:
        query.append(("org", rng.choice(corpus.orgs)))
    if rng.random() < 0.15:
        query.append(("undated", "false"))
    if path == "/facts" and rng.random() < 0.5:
        query += [("q", rng.choice(corpus.search_terms)), ("kind", rng.choice(KIND_LABELS))]
        query.append(("sort", rng.choice(SORTS)))
    if path == "/sources" and rng.random() < 0.6:
        query.append(("article", rng.choice(corpus.source_ids)))
    return path + ("?" + urlencode(query) if query else "")


class Session:
    """One browser context walking the dashboard at random until the deadline."""

    def __init__(
        self, n: int, page: Page, corpus: Corpus, tally: Tally, seed: int, trace: bool = False
    ) -> None:
        self.n, self.page, self.corpus, self.tally, self.trace = n, page, corpus, tally, trace
        self.rng = random.Random(seed * 1000 + n)
        self.sidebar = page.locator('[data-testid="stSidebar"]')
        self.main = page.locator('[data-testid="stMain"]')
        self.ready_at = self.run_at = 0.0
        self.finished = 0  # script runs the server finished for this session
        self.runs_before = 0  # `finished` when the current action began
        self.running = False
        self.finished_at = self.started_at = 0.0

    # Script runs, as the server reports them over the session's websocket.

    def on_websocket(self, ws) -> None:
        if urlsplit(ws.url).hostname not in LOCAL_HOSTS:
            self.tally.error(self.n, "outbound traffic", f"websocket {ws.url[:200]}")
        self.running = False  # a new connection: a run on the old one will never report
        ws.on("framereceived", self.on_frame)

    def on_frame(self, payload: str | bytes) -> None:
        """Count finished script runs; a page the server cannot find is an error."""
        if isinstance(payload, str):
            return
        try:
            msg = ForwardMsg.FromString(payload)
        except DecodeError:
            self.tally.error(self.n, "protocol", f"undecodable frame of {len(payload)} bytes")
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":  # sent as every script run starts
            self.running = True
            self.started_at = time.perf_counter()
        elif kind == "script_finished":
            self.running = False
            if msg.script_finished in RUN_DONE:
                self.finished += 1
                self.finished_at = time.perf_counter()
                self.tally.runs.append((self.finished_at - self.started_at) * 1000)
            elif msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                self.tally.error(self.n, "script run", f"{status} at {self.page.url}")
        elif kind == "page_not_found":
            self.tally.error(self.n, "page not found", repr(msg.page_not_found.page_name))
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self.tally.error(self.n, "script run", f"compile error at {self.page.url}")

    # Ready-waits. Each returns when the page is ready, or raises NotReady.

    async def ready(self, before: str | None, title: str | None) -> None:
        """Wait for a script run that began after the action, then for the page it drew.

        That run must have finished (as the server says) and the DOM must be idle, show the
        expected h1 and have left the URL `before`. A run that follows within SETTLE_S is
        waited for too. The ready moment is when the page last became ready, so the settle
        pause itself is not timed.
        """
        await self._run_finished()
        self.run_at = self.finished_at
        await self._drawn(before, title)
        while True:
            await asyncio.sleep(SETTLE_S)
            if self.running:  # another run began (a rerun, or a bound widget catching up)
                self.runs_before = self.finished
                await self._run_finished()
                await self._drawn(None, title)
            elif await self.page.evaluate(IDLE_JS):
                self.ready_at = max(self.ready_at, self.finished_at)
                return
            else:
                await self._drawn(None, title)

    async def _run_finished(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_MS / 1000
        while self.finished == self.runs_before:
            if time.monotonic() > deadline:
                raise NotReady(f"no script run finished within {READY_TIMEOUT_MS} ms")
            await asyncio.sleep(POLL_MS / 1000)

    async def _drawn(self, before: str | None, title: str | None) -> None:
        await self.page.wait_for_function(
            READY_JS, arg=[before, title], polling=POLL_MS, timeout=READY_TIMEOUT_MS
        )
        self.ready_at = time.perf_counter()

    def title(self) -> str:
        return TITLES.get(_path(self.page.url), "")

    # Actions. Each acts, then awaits readiness; the caller times the whole of it.

    async def open_url(self) -> None:
        url = random_url(self.rng, self.corpus)
        await self.page.goto(url)
        await self.ready(None, TITLES[_path(url)])

    async def reload(self) -> None:
        await self.page.reload()
        await self.ready(None, self.title())

    async def nav(self) -> None:
        path = self.rng.choice([p for _, p, _ in PAGES if p != _path(self.page.url)])
        before = self.page.url
        link = self.sidebar.locator('[data-testid="stSidebarNavLink"]')
        await link.and_(self.page.get_by_role("link", name=TITLES[path], exact=True)).click()
        await self.ready(before, TITLES[path])

    async def _multiselect(self, label: str, total: int) -> None:
        chips = self.sidebar.locator(
            f'[data-testid="stMultiSelect"]:has(input[aria-label="{label}"]) [data-tag]'
        )
        if total == 0 or await chips.count() >= min(total, 3):
            raise NotApplicable
        before = self.page.url
        await self.sidebar.get_by_role("combobox", name=label).click()
        options = self.page.get_by_role("option")
        await options.first.wait_for()
        await options.nth(self.rng.randrange(await options.count())).click()
        await self.page.keyboard.press("Escape")
        # Escape closes the list but leaves the box focused and tall; the next click elsewhere
        # would blur it, shift the sidebar up mid-click and miss (a toggle below never flips).
        await self.page.evaluate("() => document.activeElement?.blur()")
        await self.ready(before, self.title())

    async def pick_source(self) -> None:
        await self._multiselect("Sources", len(self.corpus.source_ids))

    async def pick_org(self) -> None:
        await self._multiselect("Organisations", len(self.corpus.orgs))

    async def toggle_undated(self) -> None:
        before = self.page.url
        await (
            self.sidebar.locator('[data-testid="stCheckbox"]')
            .filter(has_text="Include undated facts")
            .locator("label")
            .click()
        )
        await self.ready(before, self.title())

    async def reset(self) -> None:
        if not any(p in _params(self.page.url) for p in FILTER_PARAMS):
            raise NotApplicable  # nothing to reset: the URL would not move
        before = self.page.url
        await self.sidebar.get_by_role("button", name="Reset filters").click()
        await self.ready(before, self.title())

    async def search(self) -> None:
        if _path(self.page.url) != "/facts":
            raise NotApplicable
        current = _params(self.page.url).get("q", [""])[0]
        term = self.rng.choice([t for t in [*self.corpus.search_terms, ""] if t != current])
        before = self.page.url
        box = self.main.get_by_role("textbox", name="Search")
        await box.fill(term)
        await box.press("Enter")
        await self.ready(before, "Facts explorer")

    async def pick_kind(self) -> None:
        if _path(self.page.url) != "/facts":
            raise NotApplicable
        before = self.page.url
        pills = self.main.locator('[data-testid="stButtonGroup"]')
        await pills.get_by_role("button", name=self.rng.choice(KIND_LABELS)).click()
        await self.ready(before, "Facts explorer")

    async def pick_sort(self) -> None:
        if _path(self.page.url) != "/facts":
            raise NotApplicable
        current = _params(self.page.url).get("sort", ["date"])[0]
        before = self.page.url
        await self.main.get_by_role("combobox", name="Sort by").click()
        choice = self.rng.choice([s for s in SORTS if s != current])
        await self.page.get_by_role("option", name=choice, exact=True).click()
        await self.ready(before, "Facts explorer")

    def actions(self) -> list[tuple[str, Callable[[], Awaitable[None]], int]]:
        """(name, action, weight): page-specific ones weigh more where they apply."""
        on_facts = _path(self.page.url) == "/facts"
        return [
            ("open", self.open_url, 4),
            ("reload", self.reload, 1),
            ("nav", self.nav, 4),
            ("source", self.pick_source, 2),
            ("org", self.pick_org, 2),
            ("undated", self.toggle_undated, 1),
            ("reset", self.reset, 2),
            ("search", self.search, 4 if on_facts else 0),
            ("kind", self.pick_kind, 2 if on_facts else 0),
            ("sort", self.pick_sort, 2 if on_facts else 0),
        ]

    # The walk.

    def watch(self) -> None:
        """Count page errors, console errors, 5xx responses and any non-local traffic."""
        page, err = self.page, self.tally.error

        def console(msg) -> None:
            url = msg.location.get("url", "")
            if msg.type == "error" and "status of 404" in msg.text and PROBE_404.match(_path(url)):
                probe = "404 " + _path(url).split("/", 2)[2]
                self.tally.benign[probe] = self.tally.benign.get(probe, 0) + 1
            elif msg.type == "error":
                err(self.n, "console error", f"{msg.text[:300]} at {url}")

        def request(req) -> None:
            if urlsplit(req.url).hostname not in LOCAL_HOSTS and req.url.startswith("http"):
                err(self.n, "outbound traffic", f"{req.method} {req.url[:200]}")

        def response(resp) -> None:
            if resp.status >= 500:
                err(self.n, "http 5xx", f"{resp.status} {resp.url[:200]}")

        page.on("pageerror", lambda exc: err(self.n, "page error", str(exc)[:300]))
        page.on("console", console)
        page.on("request", request)
        page.on("response", response)
        page.on("websocket", self.on_websocket)

    async def act(self, name: str, action: Callable[[], Awaitable[None]]) -> None:
        """Run one action, time it to ready, and check the page it left for errors."""
        start = time.perf_counter()
        self.runs_before = self.finished
        try:
            async with asyncio.timeout(READY_TIMEOUT_S):
                await action()
        except NotApplicable:
            raise
        except (PlaywrightError, NotReady, TimeoutError) as exc:
            took = time.perf_counter() - start
            if isinstance(exc, NotReady | TimeoutError | PlaywrightTimeout):
                # Which side was late: the server's script run, or the browser drawing its result.
                late = "page not drawn" if self.finished > self.runs_before else "no run finished"
                kind = f"timeout ({late})"
            else:
                kind = "action failed"
            what = str(exc).splitlines()[0][:300] if str(exc) else f"no ready page in {took:.1f} s"
            self.tally.error(self.n, kind, f"{name}: {what}; {await self.state()}")
            await self.recover()
            return
        run_ms, ms = (self.run_at - start) * 1000, (self.ready_at - start) * 1000
        self.tally.ready.append((name, NAMES.get(_path(self.page.url), "?"), run_ms, ms))
        if self.trace:
            print(
                f"  [{self.n}] {name:<8} run {run_ms:6.0f} ms ready {ms:6.0f} ms"
                f" runs {self.finished - self.runs_before}  {self.page.url}"
            )
        for problem in await self.page.evaluate(PROBLEMS_JS):
            kind, _, text = problem.partition(": ")
            self.tally.error(self.n, kind, f"{text} at {self.page.url}")

    async def state(self) -> str:
        """Where a failed action left the page, for the error report."""
        runs = f"runs finished {self.finished - self.runs_before}, running {self.running}"
        try:
            dom = await asyncio.wait_for(self.page.evaluate(STATE_JS), 5)
        except (PlaywrightError, TimeoutError):
            dom = "unreadable"
        return f"{runs}, page {dom} at {self.page.url}"

    async def recover(self) -> None:
        """After a failed action, start again from a fresh load of the overview."""
        try:
            async with asyncio.timeout(READY_TIMEOUT_S):
                await self.page.keyboard.press("Escape")
                self.runs_before = self.finished
                await self.page.goto("/")
                await self.ready(None, TITLES["/"])
        except (PlaywrightError, NotReady, TimeoutError) as exc:
            self.tally.error(self.n, "recover failed", str(exc).splitlines()[0][:300])

    async def walk(self, deadline: float, shot: tuple[float, Path] | None) -> None:
        await self.act("open", self.open_url)
        while time.monotonic() < deadline:
            choices = self.actions()
            name, action, _ = self.rng.choices(choices, weights=[w for *_, w in choices])[0]
            try:
                await self.act(name, action)
            except NotApplicable:
                continue
            # A person reads the page before the next click; without this pause ten tabs on a
            # two-core machine measure the browser's starvation, not the server.
            await asyncio.sleep(self.rng.uniform(*THINK_S))
            if shot and time.monotonic() >= shot[0]:
                await self.page.screenshot(path=str(shot[1]), full_page=True)
                print(f"  session {self.n}: screenshot of {self.page.url} in {shot[1]}")
                shot = None


@dataclass(frozen=True)
class Plan:
    """How hard and how long to soak."""

    sessions: int
    seconds: float
    ramp: float  # session n starts n * ramp / sessions seconds in, as users arrive one by one
    seed: int
    screenshot: Path | None = None
    trace: bool = False


async def run_sessions(base: str, corpus: Corpus, plan: Plan) -> Tally:
    """Start the sessions' contexts in one Chromium and walk them concurrently until the end."""
    tally = Tally()
    async with async_playwright() as p:
        browser: Browser = await p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        start = time.monotonic()
        deadline = start + plan.seconds

        async def session(n: int) -> None:
            await asyncio.sleep(n * plan.ramp / plan.sessions)
            context = await browser.new_context(
                base_url=base, viewport=VIEWPORT, reduced_motion="reduce"
            )
            context.set_default_timeout(READY_TIMEOUT_MS)
            walker = Session(n, await context.new_page(), corpus, tally, plan.seed, plan.trace)
            walker.watch()
            shot = (
                (start + plan.seconds / 2, plan.screenshot) if n == 0 and plan.screenshot else None
            )
            await walker.walk(deadline, shot)

        tally.start = start
        await asyncio.gather(*(session(n) for n in range(plan.sessions)))
        await browser.close()
    return tally


# --- report -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _summary(values: list[float]) -> dict[str, float | int | None]:
    def r(v: float | None) -> float | None:
        return None if v is None else round(v, 1)

    return {
        "n": len(values),
        "p50_ms": r(percentile(values, 50)),
        "p95_ms": r(percentile(values, 95)),
        "max_ms": r(max(values) if values else None),
    }


def report(
    tally: Tally,
    config: dict,
    rss: dict,
    cpu: dict,
    load_start: list[float],
    server_log: str,
    wall_s: float,
) -> dict:
    """The run as a JSON-ready dict: settings, actions, errors, page-ready times, memory."""
    times = [ms for *_, ms in tally.ready]
    by_page: dict[str, list[float]] = {}
    by_action: dict[str, list[float]] = {}
    runs: dict[str, list[float]] = {}
    for action, page, run, ms in tally.ready:
        by_page.setdefault(page, []).append(ms)
        by_action.setdefault(action, []).append(ms)
        runs.setdefault(action, []).append(run)
    tracebacks = server_log.count("Traceback (most recent call last)")
    warnings: dict[str, int] = {}
    for message in SERVER_WARNING.findall(server_log):
        warnings[message] = warnings.get(message, 0) + 1
    return {
        **config,
        "wall_s": round(wall_s, 1),
        "actions": len(times),
        "errors": tally.errors + tracebacks,
        "errors_by_kind": {
            **tally.kinds,
            **({"server traceback": tracebacks} if tracebacks else {}),
        },
        "error_samples": tally.samples,
        "benign_console_errors": tally.benign,
        # Not errors (nothing failed), but worth a look: what the server warned about.
        "server_warnings": warnings,
        "server_log_tail": server_log[-4000:] if tally.errors or tracebacks else "",
        "page_ready": _summary(times),
        # The server's share of it: from the action to the end of the script run it caused.
        "script_run_done": _summary([run for _, _, run, _ in tally.ready]),
        # Every script run, from the server's first message about it to its last.
        "script_run_duration": _summary(tally.runs),
        "page_ready_by_page": {name: _summary(by_page.get(name, [])) for name, _, _ in PAGES},
        "page_ready_by_action": {k: _summary(v) for k, v in sorted(by_action.items())},
        "script_run_done_by_action": {k: _summary(v) for k, v in sorted(runs.items())},
        "server_rss_mb": rss,
        "cpu_s": cpu,
        "loadavg_start": load_start,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }


def print_table(result: dict) -> None:
    ready, rss, cpu = result["page_ready"], result["server_rss_mb"], result["cpu_s"]
    run, runs = result["script_run_done"], result["script_run_duration"]
    rows = [
        ("sessions", result["sessions"]),
        (
            "duration",
            f"{result['seconds']} s, ramp {result['ramp_s']} s (wall {result['wall_s']} s)",
        ),
        ("actions done", result["actions"]),
        ("errors", result["errors"]),
        ("benign console 404s", sum(result["benign_console_errors"].values())),
        (
            "page-ready p50 / p95 / max",
            f"{ready['p50_ms']} / {ready['p95_ms']} / {ready['max_ms']} ms",
        ),
        ("script run done p50 / p95", f"{run['p50_ms']} / {run['p95_ms']} ms"),
        ("script run length p50 / p95", f"{runs['p50_ms']} / {runs['p95_ms']} ms"),
        ("server peak RSS (sampled)", f"{rss['peak_mb']:.1f} MB"),
        ("server VmHWM (high-water)", f"{rss['vmhwm_mb']:.1f} MB"),
        ("CPU s: server", cpu.get("server")),
        (
            "CPU s: chromium / driver / soak",
            f"{cpu.get('chromium')} / {cpu.get('playwright driver')} / {cpu.get('soak')}",
        ),
        ("load average start / end", f"{result['loadavg_start'][0]} / {result['loadavg_end'][0]}"),
    ]
    rows += [
        (f"  p50 {name}", f"{s['p50_ms']} ms (n={s['n']})")
        for name, s in result["page_ready_by_page"].items()
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    for message, count in result["server_warnings"].items():
        print(f"server warning ({count}x): {message}")
    for sample in result["error_samples"]:
        print(f"ERROR {sample}")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, start one server, soak it, print and save the report."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.soak", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions")
    parser.add_argument("--seconds", type=float, default=120, help="how long the sessions walk")
    parser.add_argument("--db", type=Path, help="database to serve (default: built from seeds/)")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "soak_results.json", help="JSON report"
    )
    parser.add_argument(
        "--ramp", type=float, default=30, help="seconds over which the sessions start"
    )
    parser.add_argument("--seed", type=int, default=1, help="seeds every session's random walk")
    parser.add_argument("--screenshot", type=Path, help="session 0 saves a page here mid-soak")
    parser.add_argument("--trace", action="store_true", help="print every action as it ends")
    args = parser.parse_args(argv)
    if async_playwright is None or not CHROMIUM.exists():
        print("bench.soak needs playwright (`make install`) and Chromium (`make chromium`)")
        return 2

    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        db = args.db or build_db(Path(tmp))
        corpus = read_corpus(db)
        plan = Plan(args.sessions, args.seconds, args.ramp, args.seed, args.screenshot, args.trace)
        config = {"sessions": plan.sessions, "seconds": plan.seconds, "ramp_s": plan.ramp}
        config["seed"] = plan.seed
        config["db"] = str(args.db) if args.db else "fresh build of seeds/"
        print(f"soak: {args.sessions} sessions for {args.seconds:g} s against {config['db']}")
        with streamlit_server(db) as server:
            pid = server_pid(urlsplit(server.url).port)
            rss: dict[str, float] = {}
            cpu: dict[str, float] = {}
            load_start = [round(x, 2) for x in os.getloadavg()]

            async def soak() -> Tally:
                stop = asyncio.Event()
                sampler = asyncio.create_task(monitor(pid, rss, cpu, stop))
                try:
                    return await run_sessions(server.url, corpus, plan)
                finally:
                    stop.set()
                    await sampler

            start = time.monotonic()
            tally = asyncio.run(soak())
            wall = time.monotonic() - start
            # The kernel's high-water mark catches peaks between two samples.
            tree = process_tree(pid)
            rss["vmhwm_mb"] = status_kb(pid, "VmHWM") / 1024
            rss["vmhwm_tree_mb"] = sum(status_kb(p, "VmHWM") for p in tree) / 1024
            rss["processes"] = len(tree)
            rss = {k: round(v, 1) if isinstance(v, float) else v for k, v in rss.items()}
            log = server.output(last=1_000_000)
        cpu = {k: round(v, 1) for k, v in cpu.items()}
        result = report(tally, config, rss, cpu, load_start, log, wall)
    print_table(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
