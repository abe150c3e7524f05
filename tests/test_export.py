"""Dashboard downloads: spreadsheet-safe CSV, Parquet, ZIP bundles and file names."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard.export import csv_bytes, download_name, parquet_bytes, zip_bytes
from etl.export import FORMULA_STARTERS, neutralise_formulas

TODAY = datetime.date(2026, 11, 22)


def read_csv_cells(data: bytes) -> list[list[str]]:
    """Every row of a CSV, header first, as the csv module reads it."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def is_number(cell: str) -> bool:
    """True for a cell a spreadsheet reads as a plain number, such as -3 or 1.5."""
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_cells_safe(rows: list[list[str]]) -> None:
    """No cell would run as a formula: it is a number, or it does not start with a starter."""
    for row in rows:
        for cell in row:
            assert is_number(cell) or not cell.startswith(FORMULA_STARTERS), repr(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_csv_neutralises_every_formula_starter(cell, expected):
    rows = read_csv_cells(csv_bytes(pd.DataFrame({"text": [cell]})))
    assert rows == [["text"], [expected]]


def test_csv_neutralises_pandas_string_dtype():
    frame = pd.DataFrame({"text": pd.Series(["=x", None, "ok"], dtype="string")})
    assert read_csv_cells(csv_bytes(frame)) == [["text"], ["'=x"], [""], ["ok"]]


def test_csv_leaves_numbers_and_dates_alone_and_writes_missing_as_empty():
    frame = pd.DataFrame(
        {
            "n": [-1, 2, -30],
            "q": pd.array([-5, None, 7], dtype="Int64"),
            "x": [-1.5, np.nan, 0.25],
            "d": pd.to_datetime(["2024-12-31", None, "2023-07-01"]),
            "s": ["-far", None, np.nan],
        }
    )
    assert read_csv_cells(csv_bytes(frame)) == [
        ["n", "q", "x", "d", "s"],
        ["-1", "-5", "-1.5", "2024-12-31", "'-far"],
        ["2", "", "", "", ""],
        ["-30", "7", "0.25", "2023-07-01", ""],
    ]


def test_csv_object_column_with_mixed_values():
    frame = pd.DataFrame(
        {"mixed": [-3, "=cmd", datetime.date(2024, 1, 2), None, 1.5, True, "-", {"k": "=v"}]}
    )
    cells = [row[0] for row in read_csv_cells(csv_bytes(frame))[1:]]
    assert cells == ["-3", "'=cmd", "2024-01-02", "", "1.5", "True", "'-", "{'k': '=v'}"]


def test_csv_list_cells_are_joined_and_each_item_neutralised():
    frame = pd.DataFrame(
        {
            "warnings": [
                np.array(["=bad", "fine"], dtype=object),
                ["-x", None, "@y"],
                [],
                ("a", "b"),
            ]
        }
    )
    assert read_csv_cells(csv_bytes(frame)) == [
        ["warnings"],
        ["'=bad; fine"],
        ["'-x; ; '@y"],
        [""],
        ["a; b"],
    ]


def test_csv_unicode_round_trip_every_cell():
    frame = pd.DataFrame(
        {
            "name": ["Zoë Müller", "李明", "emoji 🚀🧠", 'quote "here", comma', "line\nbreak\r\nx"],
            "org": ["Mistral AI", "深度求索", "e\u0301cole", '=HYPERLINK("x")', "tab\tin"],
        }
    )
    rows = read_csv_cells(csv_bytes(frame))
    assert rows[0] == ["name", "org"]
    assert rows[1:] == [
        ["Zoë Müller", "Mistral AI"],
        ["李明", "深度求索"],
        ["emoji 🚀🧠", "e\u0301cole"],
        ['quote "here", comma', '\'=HYPERLINK("x")'],
        ["line\nbreak\r\nx", "tab\tin"],
    ]


def test_csv_has_header_and_exact_rows_and_columns_without_index():
    frame = pd.DataFrame({"a": range(5), "b": list("vwxyz")}, index=[10, 11, 12, 13, 14])
    rows = read_csv_cells(csv_bytes(frame.iloc[1:4]))
    assert rows == [["a", "b"], ["1", "w"], ["2", "x"], ["3", "y"]]


def test_csv_of_empty_frame_is_just_the_header():
    assert read_csv_cells(csv_bytes(pd.DataFrame({"a": [], "b": []}))) == [["a", "b"]]


def test_neutralise_formulas_leaves_input_frame_unchanged():
    frame = pd.DataFrame({"a": ["=x"]})
    neutralise_formulas(frame)
    assert frame["a"].tolist() == ["=x"]


def test_parquet_round_trips_raw_values():
    frame = pd.DataFrame(
        {
            "text": ["=not neutralised", "Zoë 🚀", None],
            "n": pd.array([-1, None, 3], dtype="Int64"),
            "d": pd.to_datetime(["2024-12-31", None, "2023-07-01"]),
        }
    )
    back = pd.read_parquet(io.BytesIO(parquet_bytes(frame)))
    assert back["text"].tolist()[:2] == ["=not neutralised", "Zoë 🚀"]
    assert back["text"].isna().tolist() == [False, False, True]
    assert back["n"].tolist()[0::2] == [-1, 3]
    assert back["d"].tolist()[0::2] == [pd.Timestamp("2024-12-31"), pd.Timestamp("2023-07-01")]
    assert len(back) == 3


def test_parquet_of_mixed_object_column_does_not_fail():
    frame = pd.DataFrame({"mixed": [1, "two", None]})
    back = pd.read_parquet(io.BytesIO(parquet_bytes(frame)))
    assert back["mixed"].tolist()[:2] == ["1", "two"]


def test_zip_has_one_safe_csv_per_table_and_a_readme():
    tables = {
        "compute": pd.DataFrame({"org": ["=evil()", "Meta"], "quantity": [-1, 350000]}),
        "hires": pd.DataFrame({"person": ["@me", "+x"], "roles": [["-lead", "=cto"], []]}),
        "../../etc/passwd": pd.DataFrame({"a": ["\tx"]}),
    }
    data = zip_bytes(tables, descriptions={"compute": "compute facts"}, today=TODAY)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == ["compute.csv", "hires.csv", "etc-passwd.csv", "README.txt"]
        assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in archive.infolist())
        for name, frame in zip(names[:3], tables.values(), strict=True):
            rows = read_csv_cells(archive.read(name))
            assert rows[0] == list(frame.columns)
            assert len(rows) - 1 == len(frame)
            assert_cells_safe(rows)
        readme = archive.read("README.txt").decode("utf-8")
    assert "2026-11-22" in readme
    assert "compute.csv: compute facts (2 rows, 2 columns)" in readme
    assert "hires.csv" in readme and "etc-passwd.csv" in readme


def test_zip_gives_clashing_table_names_distinct_files():
    data = zip_bytes({"Compute": pd.DataFrame(), "compute!": pd.DataFrame()}, today=TODAY)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["compute.csv", "compute-2.csv", "README.txt"]


@pytest.mark.parametrize(
    ("page", "ext", "expected"),
    [
        ("compute", "csv", "agi-tracker_compute_2026-11-22.csv"),
        ("Compute & Hiring", ".zip", "agi-tracker_compute-hiring_2026-11-22.zip"),
        ("../../etc/passwd", "csv", "agi-tracker_etc-passwd_2026-11-22.csv"),
        ("..\\..\\windows", "parquet", "agi-tracker_windows_2026-11-22.parquet"),
        ("Zoë's 🚀 page", "csv", "agi-tracker_zoe-s-page_2026-11-22.csv"),
        ("", "csv", "agi-tracker_export_2026-11-22.csv"),
        ("facts", "../csv", "agi-tracker_facts_2026-11-22.csv"),
    ],
)
def test_download_name_slugs_the_page(page, ext, expected):
    name = download_name(page, ext, today=TODAY)
    assert name == expected
    assert "/" not in name and "\\" not in name and ".." not in name


def test_download_name_defaults_to_today():
    assert download_name("facts", "csv").endswith(f"_{datetime.date.today().isoformat()}.csv")


def test_csv_of_real_facts_table_has_one_row_per_fact(seeds_db):
    con = duckdb.connect(str(seeds_db), read_only=True)
    try:
        frame = con.execute("SELECT * FROM facts").df()
        (count,) = con.execute("SELECT count(*) FROM facts").fetchone()
        sources = con.execute("SELECT * FROM sources").df()
    finally:
        con.close()
    rows = read_csv_cells(csv_bytes(frame))
    assert count > 0
    assert rows[0] == list(frame.columns)
    assert len(rows) - 1 == count
    assert_cells_safe(rows)
    source_rows = read_csv_cells(csv_bytes(sources))
    assert len(source_rows) - 1 == len(sources)
    assert_cells_safe(source_rows)
    # The article text survives the trip exactly, apart from a neutralising quote where needed.
    texts = [row[source_rows[0].index("text")] for row in source_rows[1:]]
    assert texts == [
        "'" + t if t.startswith(FORMULA_STARTERS) else t for t in sources["text"].tolist()
    ]
    dates = [row[rows[0].index("date")] for row in rows[1:]]
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates if d)
    assert any(dates) and not all(dates)
