"""Export every table of the database to CSV or Parquet files."""

from __future__ import annotations

import datetime
import numbers
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from etl.load import connect

TABLES = (
    "sources",
    "facts",
    "claims",
    "claim_facts",
    "conflicts",
    "reviews",
    "etl_runs",
    "etl_files",
)
# What each table's export selects: internal columns (a source's MinHash) stay out of files.
EXPORT_SELECT = {"sources": "SELECT * EXCLUDE (minhash) FROM sources"}
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
_FORMULA_START = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_STARTERS) + "]"
# Cells a spreadsheet reads as values, never as formulas: left exactly as they are.
_VALUE_TYPES = (numbers.Number, np.bool_, datetime.date, datetime.time, np.datetime64, bytes)


def neutralise_text(value: str) -> str:
    """Prefix one string with a single quote if a spreadsheet would run it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTERS) else value


def _neutralise_cell(value: object) -> object:
    """Neutralise a text or list cell; values that are not text pass through untouched."""
    if isinstance(value, str):
        return neutralise_text(value)
    if isinstance(value, list | tuple | np.ndarray):
        # A VARCHAR[] cell: one readable string, each item safe on its own.
        items = ("" if is_missing(item) else str(item) for item in value)
        return LIST_SEPARATOR.join(neutralise_text(item) for item in items)
    if is_missing(value) or isinstance(value, _VALUE_TYPES):
        return value
    # Anything else (dicts, UUIDs, timedeltas, ...) is written as its str(), so treat it as text.
    return neutralise_text(str(value))


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA (but never for a list, whose isna is elementwise)."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote."""
    out = frame.copy()
    for col in range(out.shape[1]):
        series = out.iloc[:, col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        elif not (series.dtype == object or pd.api.types.is_string_dtype(series)):
            continue  # numbers, booleans and datetimes cannot hold a formula
        values = series.astype(object)
        if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            # Only text and missing cells: one vectorised pass (a download of 100k rows).
            text = pa.array(values, type=pa.large_string(), from_pandas=True)
            risky = pc.fill_null(pc.match_substring_regex(text, _FORMULA_START), False)
            quoted = pc.binary_join_element_wise(
                pa.scalar("'", pa.large_string()), text, pa.scalar("", pa.large_string())
            )
            safe = pd.Series(
                pc.if_else(risky, quoted, text).to_numpy(zero_copy_only=False),
                index=values.index,
                dtype=object,
            )
        else:
            safe = values.map(_neutralise_cell)
        if pd.api.types.is_string_dtype(series.dtype) and series.dtype != object:
            safe = safe.astype(series.dtype)  # keep pandas' string dtype: every cell is still text
        out.isetitem(col, safe)
    return out


def iso_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Render datetime columns that hold only whole days as YYYY-MM-DD text, missing as None."""
    out = frame.copy()
    for col in range(out.shape[1]):
        series = out.iloc[:, col]
        if not pd.api.types.is_datetime64_any_dtype(series.dtype):
            continue
        if (series.dropna() == series.dropna().dt.normalize()).all():
            text = series.dt.strftime("%Y-%m-%d").astype(object)
            out.isetitem(col, text.where(series.notna(), None))
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """Render a frame as spreadsheet-safe CSV: header, no index, ISO dates, formulas neutralised."""
    # CRLF rows (RFC 4180) also make the writer quote any cell holding a lone carriage return.
    return neutralise_formulas(iso_dates(frame)).to_csv(index=False, lineterminator="\r\n")


def export(db_path: Path, out_dir: Path, fmt: str) -> list[Path]:
    """Write one file per table into `out_dir`; returns the paths written."""
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: use csv or parquet")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    con = connect(db_path, read_only=True)
    try:
        for table in TABLES:
            path = out_dir / f"{table}.{fmt}"
            select = EXPORT_SELECT.get(table, f"SELECT * FROM {table}")  # noqa: S608 - fixed names
            if fmt == "parquet":
                con.execute(f"COPY ({select}) TO ? (FORMAT parquet)", [str(path)])
            else:
                frame = con.execute(select).df()
                path.write_bytes(csv_text(frame).encode("utf-8"))
            written.append(path)
    finally:
        con.close()
    return written
