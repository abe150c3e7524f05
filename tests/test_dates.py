import datetime as dt

import pytest

from etl.dates import find_dates, resolve

PUB = dt.date(2023, 9, 11)  # a Monday

CASES = [
    ("By the end of 2024", "2024-12-31", "year"),
    ("by the end of this year", "2023-12-31", "year"),
    ("by year-end", "2023-12-31", "year"),
    ("by 2026", "2026-12-31", "year"),
    ("Earlier in July", "2023-07-01", "month"),
    ("last December", "2022-12-01", "month"),
    ("next year", "2024-01-01", "year"),
    ("the initial quarter of 2024", "2024-01-01", "quarter"),
    ("the third quarter of 2025", "2025-07-01", "quarter"),
    ("Q3 2024", "2024-07-01", "quarter"),
    ("by the end of Q1 2025", "2025-03-31", "quarter"),
    ("next quarter", "2023-10-01", "quarter"),
    ("later this month", "2023-09-01", "month"),
    ("last month", "2023-08-01", "month"),
    ("yesterday", "2023-09-10", "day"),
    ("on Friday", "2023-09-08", "day"),
    ("Monday September 11, 2023", "2023-09-11", "day"),
    ("January 18, 2024", "2024-01-18", "day"),
    ("18 January 2024", "2024-01-18", "day"),
    ("2024-01-18", "2024-01-18", "day"),
    ("in March 2024", "2024-03-01", "month"),
    ("by the end of next year", "2024-12-31", "year"),
    ("in 2025", "2025-01-01", "year"),
    ("late 2025", "2025-10-01", "quarter"),
    ("in the summer of 2025", "2025-07-01", "quarter"),
    ("due by summer 2025", "2025-09-30", "quarter"),  # a season's year without "of"
    ("in spring 2026", "2026-04-01", "quarter"),
    ("next winter", "2024-01-01", "quarter"),
]


@pytest.mark.parametrize(("phrase", "date", "precision"), CASES)
def test_phrases_resolve_against_publication_date(phrase, date, precision):
    assert resolve(phrase, PUB) == (dt.date.fromisoformat(date), precision)


@pytest.mark.parametrize(
    "phrase", ["next year", "later this month", "yesterday", "by the end of this year"]
)
def test_relative_phrase_without_publication_date_keeps_text_and_no_date(phrase):
    refs = find_dates(f"It will happen {phrase}.", None)
    assert [(r.phrase, r.date, r.precision) for r in refs] == [(phrase, None, None)]


def test_absolute_phrases_resolve_without_publication_date():
    assert resolve("By the end of 2024", None) == (dt.date(2024, 12, 31), "year")


@pytest.mark.parametrize(
    "text", ["It may be soon.", "the 2024 roadmap", "3 min Read", "a march on Washington"]
)
def test_non_dates_are_not_dates(text):
    assert find_dates(text, PUB) == []


def test_offsets_point_at_the_phrase():
    text = "Meta said yesterday that it plans 350k H100s by the end of this year."
    refs = find_dates(text, PUB)
    assert [text[r.start : r.end] for r in refs] == ["yesterday", "by the end of this year"]
