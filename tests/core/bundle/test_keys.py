"""Derived resource ids: the labels folded all at once give the digests each label gives
folded alone, whatever the case, accents, ligatures, spacing or script; the columnar
reader derives the ids the row reader derives."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from symbiose.core.bundle import read_bundle
from symbiose.core.bundle.columnar import read_columns
from symbiose.core.bundle.keys import derived_id, label_digest, label_digests

# Letters with and without accents, combining marks alone, ligatures, case pairs that
# fold to several letters (ß, ﬁ), a final sigma, every kind of space and separator.
ALPHABET = st.sampled_from(list(
    "abcEÉéèêëçÇàÀœŒßẞﬁΣσςİı°n " "\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2003\u3000"
    "\u0301\u0327\u0308\u0323\u20d7\U0001d165\U0001d16e한글ｆｕｌｌ①²"))


# No deadline: the first call lists every combining mark of Unicode, once.
@settings(deadline=None)
@given(st.lists(st.text(ALPHABET, max_size=12), max_size=30))
def test_labels_folded_together_give_each_labels_digest(labels: list[str]) -> None:
    assert label_digests(labels) == [label_digest(label) for label in labels]


def test_a_slice_boundary_and_a_nul_change_nothing() -> None:
    labels = [f"Biodéchets  de cuisine n°{i}" for i in range(50_003)] + ["a\x00b", "É"]
    assert label_digests(labels) == [label_digest(label) for label in labels]
    assert label_digests(["Palettes  BOIS"]) == label_digests(["palettes bois"])


def test_ids_derived_column_wise_are_the_row_readers(tmp_path: Path) -> None:
    """Column-wise, every row takes its base at once unless a base meets another or an
    id the bundle gives: then the rows are walked in order, as the row reader walks them
    (a base given above as an id is skipped; one given below is not seen)."""
    given = derived_id("a1", "out", "Palettes")
    cases = {
        "distinct": "a1,out,Palettes,\na1,out,Cartons,\na2,in,Palettes,\n",
        "repeated": "a1,out,Palettes,\na1,out,PALETTES ,\na1,out,Cartons,\n",
        "given above": f"a2,in,Cartons,{given}\na1,out,Palettes,\na1,out,Palettes,\n",
        "given below": f"a1,out,Palettes,\na2,in,Cartons,{given}-2\na1,out,palettes,\n",
    }
    for name, rows in cases.items():
        bundle = tmp_path / name
        bundle.mkdir()
        (bundle / "actors.csv").write_text("id,name\na1,Un\na2,Deux\n")
        (bundle / "resources.csv").write_text("actor_id,direction,label,id\n" + rows)
        with read_bundle(bundle, default_year=2026) as reader:
            columns = read_columns(reader)
            assert columns is not None, name
            assert columns.resources.ids.tolist() == [r.id for r in reader.resources()], name
