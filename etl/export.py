"""Export every table of the database to CSV or Parquet files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl.load import connect

TABLES = ("sources", "facts", "etl_runs", "etl_files")
FORMULA_STARTERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a single quote."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_STARTERS) else v
            )
    return out


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
            if fmt == "parquet":
                con.execute(f"COPY {table} TO ? (FORMAT parquet)", [str(path)])  # noqa: S608 - fixed names
            else:
                frame = con.execute(f"SELECT * FROM {table}").df()  # noqa: S608 - fixed names
                neutralise_formulas(frame).to_csv(path, index=False, encoding="utf-8")
            written.append(path)
    finally:
        con.close()
    return written
