"""The dashboard's visual vocabulary, shared by charts and the reading view."""

from __future__ import annotations

KINDS = ("compute", "hire", "announcement")
KIND_LABELS = {"compute": "Compute", "hire": "Hire", "announcement": "Announcement"}
# Colour-blind-safe (Okabe-Ito) so kinds stay apart for every reader.
KIND_COLOURS = {"compute": "#0072B2", "hire": "#009E73", "announcement": "#E69F00"}
# Light tints of the same hues for highlighted text, dark enough to read black text on.
KIND_TINTS = {"compute": "#cfe3f3", "hire": "#c8eee0", "announcement": "#fbe5bd"}

UNITS = ("GPUs", "H100-equivalents")
# Planned values are hollow, operational ones filled: the OWID/Epoch convention of telling them apart.
STATUS_SYMBOLS = {"planned": "circle-open", "operational": "circle", "unspecified": "diamond-open"}
CATEGORIES = ("model", "product", "organisation", "investment", "infrastructure", "event")


def shorten(text: str, limit: int) -> str:
    """Cut text to at most `limit` characters at a word boundary, marking the cut with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"
