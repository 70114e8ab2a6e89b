"""The European List of Waste: spellings accepted, refusals and what they suggest."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiose.core.errors import SymbioseError, UnknownCodeError
from symbiose.core.nomenclature.ewc import WasteCode, ewc_codes, ewc_headings, ewc_lookup

CODES = sorted(ewc_codes())
HAZARDOUS = [code for code in CODES if ewc_codes()[code].hazardous]
NON_HAZARDOUS = [code for code in CODES if not ewc_codes()[code].hazardous]


def refusal(text: str) -> UnknownCodeError:
    with pytest.raises(UnknownCodeError) as caught:
        ewc_lookup(text)
    return caught.value


def test_table_size_and_hazard_count() -> None:
    assert len(CODES) == 842
    assert len(HAZARDOUS) == 408
    assert all(len(code) == 6 and code.isdigit() for code in CODES)


def test_interface_fields_are_exactly_those_others_rely_on() -> None:
    names = [field.name for field in dataclasses.fields(WasteCode)]
    assert names == ["code", "hazardous", "label_en", "label_fr", "chapter"]
    entry = ewc_codes()["160213"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.code = "160214"  # type: ignore[misc]


def test_entry_content() -> None:
    entry = ewc_lookup("16 02 13*")
    assert entry.code == "160213"
    assert entry.hazardous
    assert entry.chapter == "16"
    assert entry.display == "16 02 13*"
    assert entry.label_en.startswith("Discarded equipment containing hazardous components")
    assert entry.label_fr.startswith("équipements mis au rebut")
    assert ewc_lookup("100105").display == "10 01 05"


@pytest.mark.parametrize(
    "text",
    ["10 01 05", "100105", "10.01.05", "10-01-05", "10–01–05", " 10 01 05 ", "10_01_05"],
)
def test_spellings_of_a_non_hazardous_code(text: str) -> None:
    assert ewc_lookup(text).code == "100105"


@pytest.mark.parametrize("text", ["16 02 13*", " 160213 * ", "160213", "16.02.13 *", "16-02-13*"])
def test_spellings_of_a_hazardous_code_with_or_without_star(text: str) -> None:
    assert ewc_lookup(text).code == "160213"


def test_star_on_a_non_hazardous_code_is_refused_suggesting_the_code_without_star() -> None:
    error = refusal("10 01 05*")
    assert error.nomenclature == "EWC"
    assert error.value == "10 01 05*"
    assert error.suggestions[0] == "10 01 05"
    assert all(s.endswith("*") for s in error.suggestions[1:])


def test_star_on_a_mirror_entry_suggests_its_hazardous_twin() -> None:
    assert refusal("17 05 04*").suggestions[:2] == ("17 05 04", "17 05 03*")


@pytest.mark.parametrize("heading", ["10", "10 01", "1001", "16.02"])
def test_headings_are_refused_with_codes_under_them(heading: str) -> None:
    error = refusal(heading)
    prefix = heading.replace(" ", "").replace(".", "")
    assert len(error.suggestions) == 5
    assert all(s.replace(" ", "").startswith(prefix) for s in error.suggestions)


def test_headings_table() -> None:
    headings = ewc_headings()
    assert len([code for code in headings if len(code) == 2]) == 20
    assert len([code for code in headings if len(code) == 4]) == 111
    assert headings["1001"].display == "10 01"
    assert headings["10"].label_en.startswith("Wastes from thermal processes")
    assert {entry.chapter for entry in ewc_codes().values()} == {
        code for code in headings if len(code) == 2
    }


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("10 01 99 9", {"10 01 99"}),  # one digit too many
        ("100106x", {"10 01 05", "10 01 07"}),  # no such code, and a stray letter
        ("10 01 50", {"10 01 05", "10 01 20*"}),  # two digits swapped, or one mistyped
        ("16*0213", {"16 02 13*"}),  # star in the wrong place
        ("10101", {"01 01 01"}),  # a spreadsheet dropped the leading zero
    ],
)
def test_unknown_codes_suggest_the_nearest_first(text: str, first: set[str]) -> None:
    error = refusal(text)
    assert error.suggestions[0] in first
    assert 1 <= len(error.suggestions) <= 5
    assert "nearest" in str(error)


def test_suggestions_prefer_the_longest_shared_prefix() -> None:
    suggestions = refusal("100106").suggestions
    assert all(s.startswith("10 01 0") for s in suggestions[:4])


@pytest.mark.parametrize("text", ["", "   ", "hello", "*"])
def test_text_without_digits_is_refused_without_suggestions(text: str) -> None:
    error = refusal(text)
    assert error.suggestions == ()
    assert isinstance(error, SymbioseError)
    assert isinstance(error, ValueError)


@given(code=st.sampled_from(CODES), separator=st.sampled_from(["", " ", ".", "-", " - "]))
def test_every_code_round_trips_through_its_forms(code: str, separator: str) -> None:
    entry = ewc_codes()[code]
    assert ewc_lookup(entry.display) is entry
    assert ewc_lookup(code) is entry
    spelled = separator.join([code[:2], code[2:4], code[4:]])
    assert ewc_lookup(f"  {spelled}{' *' if entry.hazardous else ''} ") is entry


@given(code=st.sampled_from(NON_HAZARDOUS))
def test_every_non_hazardous_code_refuses_a_star(code: str) -> None:
    assert refusal(code + "*").suggestions[0] == ewc_codes()[code].display


def outcome(text: str) -> WasteCode | UnknownCodeError:
    try:
        return ewc_lookup(text)
    except UnknownCodeError as error:
        return error


@given(text=st.text(alphabet="0123456789 .-*xZ", max_size=12))
def test_any_input_gives_an_entry_or_valid_suggestions(text: str) -> None:
    result = outcome(text)
    if isinstance(result, WasteCode):
        assert result.code == "".join(ch for ch in text if ch.isdigit())
    else:
        assert len(result.suggestions) <= 5
        assert len(set(result.suggestions)) == len(result.suggestions)
        assert all(ewc_lookup(s).display == s for s in result.suggestions)
