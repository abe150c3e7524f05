"""Download builders for the dashboard: frames in, safe file bytes and file names out."""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Mapping

import pandas as pd
import pyarrow as pa

from etl.export import csv_text, is_missing

APP_SLUG = "agi-tracker"
CSV_NOTE = (
    "Text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a\n"
    "carriage return) carry a leading ' so they open as plain text. Dates are YYYY-MM-DD;\n"
    "empty cells are missing values; list cells are joined with '; '.\n"
)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of exactly the given rows and columns, safe to open in a spreadsheet."""
    return csv_text(frame).encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """Parquet of the frame with its raw typed values (not a spreadsheet format, so no quoting)."""
    buffer = io.BytesIO()
    _arrow_ready(frame).to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def _arrow_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn object columns Arrow cannot type (mixed values) into text, so a download never fails."""
    out = frame.copy()
    for col in range(out.shape[1]):
        series = out.iloc[:, col]
        if series.dtype != object:
            continue
        try:
            pa.array(series, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError):
            out.isetitem(col, series.map(lambda v: None if is_missing(v) else str(v)))
    return out


def zip_bytes(
    tables: Mapping[str, pd.DataFrame],
    descriptions: Mapping[str, str] | None = None,
    today: datetime.date | None = None,
) -> bytes:
    """A ZIP of one safe CSV per table, with a README saying what each file is and its date."""
    today = today or datetime.date.today()
    descriptions = descriptions or {}
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    lines = [f"AGI Tracker export, {today.isoformat()}", ""]
    used: set[str] = set()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            filename = _unique(slugify(name, fallback="table"), used) + ".csv"
            info = zipfile.ZipInfo(filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, csv_bytes(frame))
            about = descriptions.get(name) or f"the {name} table"
            lines.append(f"{filename}: {about} ({len(frame)} rows, {frame.shape[1]} columns)")
        lines += ["", CSV_NOTE]
        info = zipfile.ZipInfo("README.txt", date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, "\n".join(lines).encode("utf-8"))
    return buffer.getvalue()


def _unique(stem: str, used: set[str]) -> str:
    """Return `stem`, or `stem-2`, `stem-3`... if an earlier table already took that file name."""
    candidate, n = stem, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate)
    return candidate


def slugify(value: str, fallback: str = "export", max_length: int = 60) -> str:
    """Lower-case ASCII letters, digits and single hyphens only, so a name can never be a path."""
    ascii_text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or fallback


def download_name(page: str, ext: str, today: datetime.date | None = None) -> str:
    """File name for a download, e.g. agi-tracker_compute_2026-11-22.csv."""
    today = today or datetime.date.today()
    extension = slugify(ext, fallback="bin", max_length=10).replace("-", "")
    return f"{APP_SLUG}_{slugify(page)}_{today.isoformat()}.{extension}"
