"""`make soak` in miniature: one browser session walks a live server for a few seconds.

The full soak (ten sessions, two minutes) is too slow for `make test`; this checks that its
machinery works end to end: the walk reaches ready pages, nothing counts as an error on a
healthy dashboard, and the server's memory is found and measured.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from e2e_server import CHROMIUM

# bench/ is not an installed package (pyproject lists etl and dashboard): import it from the
# checkout, as `python -m bench.soak` does.
sys.path.insert(0, str(ROOT))
from bench.soak import main, percentile  # noqa: E402

pytestmark = pytest.mark.e2e


def test_percentile_interpolates_between_ranks():
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([float(n) for n in range(1, 101)], 95) == pytest.approx(95.05)


def test_a_short_soak_reaches_ready_pages_without_errors(seeds_db: Path, tmp_path: Path):
    if not CHROMIUM.exists() or not _has_playwright():
        reason = "the soak needs Chromium (`make chromium`) and playwright (`make install`)"
        if os.environ.get("AGI_TRACKER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason} (and AGI_TRACKER_REQUIRE_BROWSER=1)", pytrace=False)
        pytest.skip(reason)
    out = tmp_path / "soak.json"

    code = main(["--sessions", "1", "--seconds", "4", "--db", str(seeds_db), "--out", str(out)])

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["errors"] == 0, result["error_samples"]
    assert code == 0
    assert result["actions"] >= 1
    assert result["page_ready"]["n"] == result["actions"]
    assert 0 < result["script_run_done"]["p50_ms"] <= result["page_ready"]["p50_ms"]
    # A Streamlit server that has drawn a page holds well over 50 MB; 0 would mean no pid.
    assert result["server_rss_mb"]["peak_mb"] > 50
    assert result["server_rss_mb"]["vmhwm_mb"] >= result["server_rss_mb"]["first_mb"]


def _has_playwright() -> bool:
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return False
    return True
