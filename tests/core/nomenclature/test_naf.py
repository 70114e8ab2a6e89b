"""NAF rév.2 sub-classes and NACE Rev.2 classes: spellings, class resolution, refusals."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiose.core.errors import UnknownCodeError
from symbiose.core.nomenclature.naf import ActivityCode, nace_headings, naf_codes, naf_lookup

CODES = sorted(naf_codes())
SUBCLASSES_PER_CLASS = Counter(code[:5] for code in CODES)


def refusal(text: str) -> UnknownCodeError:
    with pytest.raises(UnknownCodeError) as caught:
        naf_lookup(text)
    assert caught.value.nomenclature == "NAF"
    return caught.value


def test_table_sizes() -> None:
    assert len(CODES) == 732
    assert len(SUBCLASSES_PER_CLASS) == 615
    assert sum(1 for n in SUBCLASSES_PER_CLASS.values() if n > 1) == 84
    sections = {code for code in nace_headings() if code.isalpha()}
    assert sections == set("ABCDEFGHIJKLMNOPQRSTU")
    assert len(nace_headings()) - len(sections) == 88


def test_interface_fields_are_exactly_those_others_rely_on() -> None:
    names = [field.name for field in dataclasses.fields(ActivityCode)]
    assert names == [
        "code",
        "label_fr",
        "label_en",
        "nace_class",
        "nace_division",
        "nace_section",
        "is_subclass",
    ]


@pytest.mark.parametrize(
    "text", ["20.14Z", "20.14z", "2014Z", "20 14 Z", "20.14", "2014", " 2014 z "]
)
def test_spellings_of_a_class_with_one_subclass(text: str) -> None:
    entry = naf_lookup(text)
    assert entry == ActivityCode(
        code="20.14Z",
        label_fr="Fabrication d'autres produits chimiques organiques de base",
        label_en="Manufacture of other organic basic chemicals",
        nace_class="20.14",
        nace_division="20",
        nace_section="C",
        is_subclass=True,
    )


def test_a_class_with_several_subclasses_stays_the_class() -> None:
    entry = naf_lookup("25.62")
    assert entry.code == "25.62"
    assert not entry.is_subclass
    assert (entry.label_fr, entry.label_en) == ("Usinage", "Machining")
    assert (entry.nace_class, entry.nace_division, entry.nace_section) == ("25.62", "25", "C")
    assert naf_lookup("2562") == entry


def test_a_subclass_has_its_french_label_and_the_english_class_label() -> None:
    entry = naf_lookup("25.62a")
    assert (entry.code, entry.label_fr, entry.label_en) == ("25.62A", "Décolletage", "Machining")


def test_leading_zero_division() -> None:
    assert naf_lookup("01.11").code == "01.11Z"
    assert naf_lookup("0111Z").nace_section == "A"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("20.14X", {"20.14Z"}),  # a letter that does not exist
        ("25.62C", {"25.62A", "25.62B"}),
        ("20.19", {"20.16Z", "20.17Z"}),  # no such class
        ("21.04Z", {"20.14Z"}),  # two digits swapped
    ],
)
def test_unknown_codes_suggest_the_nearest_first(text: str, first: set[str]) -> None:
    suggestions = refusal(text).suggestions
    assert suggestions[0] in first
    assert 1 <= len(suggestions) <= 5


def test_suggestions_of_a_class_are_spelled_as_lookup_returns_them() -> None:
    suggestions = refusal("20.1").suggestions
    assert "20.13" in suggestions or "20.11Z" in suggestions
    assert all(naf_lookup(s).code == s for s in suggestions)


@pytest.mark.parametrize("text", ["C", "20", "20.1", "20.14ZZ", "hello", ""])
def test_sections_divisions_groups_and_noise_are_refused(text: str) -> None:
    refusal(text)


@given(code=st.sampled_from(CODES), lower=st.booleans(), dot=st.sampled_from(["", ".", " "]))
def test_every_subclass_round_trips(code: str, lower: bool, dot: str) -> None:
    spelled = f"{code[:2]}{dot}{code[3:5]}{code[5].lower() if lower else code[5]}"
    assert naf_lookup(spelled) is naf_codes()[code]


@given(code=st.sampled_from(CODES))
def test_every_class_resolves_as_precisely_as_it_can(code: str) -> None:
    entry = naf_lookup(code[:5])
    if SUBCLASSES_PER_CLASS[code[:5]] == 1:
        assert entry is naf_codes()[code]
    else:
        assert (entry.code, entry.is_subclass) == (code[:5], False)
        assert entry.label_en == naf_codes()[code].label_en


@given(text=st.text(alphabet="0123456789. ZAxz", max_size=8))
def test_any_input_gives_an_activity_or_valid_suggestions(text: str) -> None:
    try:
        naf_lookup(text)
        suggestions: tuple[str, ...] = ()
    except UnknownCodeError as error:
        suggestions = error.suggestions
    assert len(suggestions) <= 5
    assert all(naf_lookup(s).code == s for s in suggestions)
