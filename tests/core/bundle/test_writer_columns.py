"""The column-wise CSV writer writes what one row at a time wrote: same cells, same quoting.

The writer converts records a chunk at a time, column by column; a cell must come out as
`csv_cell(_values(...))` gives it, across chunk boundaries, with repeated numbers (their
conversion is shared), neutralised text, and a row holding a carriage return quoted whole.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from symbiose.core.bundle import SynergyRecord, write_synergies_csv
from symbiose.core.bundle.columns import SYNERGIES
from symbiose.core.bundle.writer import CHUNK, _values, csv_cell, minimal_rows


def one_row_at_a_time(records: list[SynergyRecord]) -> str:
    """The writer as it was: each record's cells, one row at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(SYNERGIES.fields)
    for record in records:
        cells = [csv_cell(v) for v in _values(SYNERGIES, record)]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue()


def test_chunks_of_columns_write_the_same_bytes(tmp_path: Path) -> None:
    texts = ["Palettes", "=HYPERLINK(x)", "'+33 6", "-12", "@SUM", "\tcode", "ligne\rdeux",
             "", "Chaleur, fatale", 'guillemet "x"']
    numbers = [None, Decimal("0"), Decimal("-0"), Decimal("1.500"), Decimal("1.5"),
               Decimal("1E+3"), Decimal("1000"), Decimal("0.001")]
    records = [
        SynergyRecord(
            type=("substitution", "pooling", "sharing")[i % 3],
            actor_ids=tuple(f"a{j}" for j in range(i % 4 + 1)),
            resource=texts[i % len(texts)],
            supplier_id=f"s{i % 7}",
            receiver_id=texts[(i * 3) % len(texts)],
            score=numbers[i % len(numbers)],
            distance_km=numbers[(i + 1) % len(numbers)],
            quantity=numbers[(i + 2) % len(numbers)],
            unit="t" if i % 2 else "",
            co2e_avoided_t=numbers[(i + 3) % len(numbers)],
            eur_saved=numbers[(i + 5) % len(numbers)],
            explanation=texts[(i * 7) % len(texts)] if i != CHUNK else "fin\rde chunk",
        )
        for i in range(CHUNK + 25)
    ]
    target = tmp_path / "synergies.csv"
    write_synergies_csv(target, records)
    assert target.read_bytes() == one_row_at_a_time(records).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.integers(2, 5).flatmap(lambda width: st.lists(
    st.lists(st.text(alphabet=st.characters(exclude_characters="\r"), max_size=12)
             | st.sampled_from(["", ",", '"', "\n", '""', " a, b ", "x\ny", "\x00"]),
             min_size=width, max_size=width),
    min_size=1, max_size=20)))
def test_rows_joined_by_column_are_what_the_csv_module_writes(rows: list[list[str]]
                                                                ) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    assert minimal_rows([list(column) for column in zip(*rows, strict=True)]) == out.getvalue()
