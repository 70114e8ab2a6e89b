"""The packaged tables against the shared reference copies they were built from.

The reference folder sits beside the checkout (../shared/refdata); without it these
tests are skipped, since the packaged tables are then all there is.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from symbiose.core.nomenclature.ewc import ewc_codes, ewc_headings
from symbiose.core.nomenclature.naf import nace_headings, naf_codes, naf_lookup

REPO = Path(__file__).resolve().parents[3]
REFDATA = REPO / ".." / "shared" / "refdata"
PACKAGED = REPO / "src" / "symbiose" / "core" / "nomenclature" / "data"


def reference(name: str) -> list[dict[str, str]]:
    path = REFDATA / name
    if not path.is_file():
        pytest.skip(f"shared reference copy absent: {path}")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def tidy(text: str) -> str:
    """The generator collapses the stray spaces of the sources; compare the same way."""
    return re.sub(r"\s+", " ", text).strip()


def build_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_nomenclatures", REPO / "tools" / "build_nomenclatures.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ewc_matches_the_reference_list() -> None:
    rows = reference("ewc_list_of_waste_en_fr.csv")
    assert {row["code"] for row in rows} == set(ewc_codes())
    for row in rows:
        entry = ewc_codes()[row["code"]]
        assert entry.display == row["code_display"]
        assert entry.hazardous == (row["hazardous"] == "1")
        assert (entry.label_en, entry.label_fr) == (tidy(row["label_en"]), tidy(row["label_fr"]))
        assert ewc_headings()[row["subchapter"]].label_fr == tidy(row["subchapter_label_fr"])
        assert ewc_headings()[row["chapter"]].label_en == tidy(row["chapter_label_en"])


def test_naf_matches_the_reference_list() -> None:
    rows = reference("naf_rev2_subclasses_fr_en.csv")
    assert {row["naf_code"] for row in rows} == set(naf_codes())
    for row in rows:
        entry = naf_codes()[row["naf_code"]]
        assert entry.label_fr == tidy(row["naf_label_fr"])
        assert entry.label_en == tidy(row["nace_class_label_en"])
        assert (entry.nace_class, entry.nace_division, entry.nace_section) == (
            row["nace_class"],
            row["nace_division"],
            row["nace_section"],
        )
        assert nace_headings()[row["nace_division"]].label_en == tidy(row["nace_division_label_en"])
        assert nace_headings()[row["nace_section"]].label_fr == tidy(row["nace_section_label_fr"])
        if naf_lookup(row["nace_class"]).code == row["nace_class"]:
            assert naf_lookup(row["nace_class"]).label_fr == tidy(row["nace_class_label_fr"])


def test_packaged_tables_are_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    reference("ewc_list_of_waste_en_fr.csv")
    build_tool().main(["--refdata", str(REFDATA), "--out", str(tmp_path)])
    for name in ("ewc.csv", "naf.csv"):
        assert (tmp_path / name).read_bytes() == (PACKAGED / name).read_bytes(), name


def test_the_nomenclatures_import_without_django() -> None:
    code = (
        "import sys, symbiose.core.nomenclature.ewc as e, symbiose.core.nomenclature.naf as n, "
        "symbiose.core.nomenclature.units as u;"
        "e.ewc_codes(); n.naf_codes(); u.quantity_convert(1, 't', 'kg');"
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
