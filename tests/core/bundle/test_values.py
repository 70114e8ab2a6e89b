"""Numbers as facilitators write them, and text that a spreadsheet must not execute."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiose.core.bundle import ActorRecord, ResourceRecord, read_bundle, write_bundle
from symbiose.core.bundle.neutralise import neutralise, restore
from symbiose.core.bundle.values import (
    AMBIGUOUS,
    ValueIssue,
    format_decimal,
    luhn_valid,
    parse_decimal,
)

decimals = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False,
                       allow_infinity=False)


def read_or_refuse(text: str, *, decimal_comma: bool) -> Decimal | str:
    """The number read, or the message of its refusal."""
    try:
        return parse_decimal(text, decimal_comma=decimal_comma)
    except ValueIssue as issue:
        return issue.message


def french(number: Decimal, space: str) -> str:
    """How French software shows a number: "1 234 567,5"."""
    integer, _, fraction = format_decimal(number).partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        integer, groups = integer[:-3], [integer[-3:], *groups]
    text = space.join([integer, *groups])
    return f"{text},{fraction}" if fraction else text


@given(decimals)
def test_plain_numbers_read_back_exactly(number: Decimal) -> None:
    written = format_decimal(number)
    assert "E" not in written and (written == "0" or not written.endswith("."))
    assert parse_decimal(written) == number
    # "1.292" in a French file: 1292 or 1,292? Refused as ambiguous, never misread.
    assert read_or_refuse(written, decimal_comma=True) in (number, AMBIGUOUS)


@given(decimals, st.sampled_from([" ", "\u00a0", "\u202f", ""]))
def test_french_numbers_read_back_exactly_in_a_french_file(number: Decimal, space: str) -> None:
    assert parse_decimal(french(number, space), decimal_comma=True) == number


@given(decimals, st.sampled_from([" ", "\u00a0", ""]))
def test_a_french_number_is_never_misread_in_an_english_file(number: Decimal,
                                                             space: str) -> None:
    assert read_or_refuse(french(number, space), decimal_comma=False) in (number, AMBIGUOUS)


@pytest.mark.parametrize(("text", "comma", "expected"), [
    ("12.5", False, "12.5"), ("12,5", False, "12.5"), ("1 200,50", True, "1200.50"),
    ("1,234.5", False, "1234.5"), ("1.234,5", True, "1234.5"), ("0,250", False, "0.250"),
    ("-3", False, "-3"), ("1,200", True, "1.200"), ("1,200,000", False, "1200000"),
    ("1.5e3", False, "1.5E+3"), ("+7", False, "7"),
])
def test_parse_decimal_examples(text: str, comma: bool, expected: str) -> None:
    assert parse_decimal(text, decimal_comma=comma) == Decimal(expected)
    assert str(parse_decimal(text, decimal_comma=comma)) == str(Decimal(expected))


@pytest.mark.parametrize(("text", "comma"), [
    ("1,200", False), ("1.200", True), ("12 5", False), ("abc", False), ("1..2", False),
    ("12,5,6", True), ("NaN", False), ("Infinity", False), ("1 2345", False), ("", False),
    ("12,34.5", False),
])
def test_parse_decimal_refusals(text: str, comma: bool) -> None:
    with pytest.raises(ValueIssue):
        parse_decimal(text, decimal_comma=comma)


def test_luhn() -> None:
    assert luhn_valid("73282932000074")
    assert not luhn_valid("73282932000075")


TRIGGERS = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "'", "'=", "''+"])


@given(st.text())
def test_neutralise_then_restore_is_identity(value: str) -> None:
    assert restore(neutralise(value)) == value


@given(TRIGGERS, st.text())
def test_neutralised_text_never_starts_like_a_formula(start: str, rest: str) -> None:
    assert neutralise(start + rest)[:1] not in "=+-@\t\r" or neutralise(start + rest) == ""


# Labels within the 500 characters a resource's label holds (core/bundle/lengths.py):
# what is tested here is a dangerous start, not a length.
@given(st.lists(st.tuples(TRIGGERS, st.text(alphabet=st.characters(
    exclude_categories=["Cs"], exclude_characters="\x00"), max_size=400)), min_size=1,
    max_size=5))
def test_csv_round_trip_of_dangerous_labels(tmp_path_factory: pytest.TempPathFactory,
                                            parts: list[tuple[str, str]]) -> None:
    labels = [(start + rest).strip() or "x" for start, rest in parts]
    tmp = tmp_path_factory.mktemp("rt")
    actors = [ActorRecord(id="a1", name="A")]
    resources = [ResourceRecord(id=f"r{i}", actor_id="a1", direction="out", label=label,
                                year=2026) for i, label in enumerate(labels)]
    write_bundle(tmp / "one", actors=actors, resources=resources)
    with (tmp / "one" / "resources.csv").open(encoding="utf-8", newline="") as stream:
        cells = [row[2] for row in csv.reader(stream)][1:]
    assert all(cell[:1] not in "=+-@\t\r" for cell in cells)
    with read_bundle(tmp / "one", default_year=2026) as reader:
        assert reader.check().ok
        assert [r.label for r in reader.resources()] == labels


def test_export_neutralises_the_usual_injections(tmp_path: Path) -> None:
    labels = ['=HYPERLINK("http://evil","clic")', "+33 6 12 34 56 78", "@SUM(A1:A9)",
              "-2+3", "'=déjà échappé"]
    resources = [ResourceRecord(id=f"r{i}", actor_id="a1", direction="out", label=label,
                                year=2026) for i, label in enumerate(labels)]
    write_bundle(tmp_path / "b", actors=[ActorRecord(id="a1", name="A")], resources=resources)
    text = (tmp_path / "b" / "resources.csv").read_text(encoding="utf-8")
    cells = [row[2] for row in csv.reader(io.StringIO(text))][1:]
    assert cells == ["'" + label for label in labels]
