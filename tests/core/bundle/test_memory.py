"""A 50 MB resources.csv is checked with flat memory: rows are streamed, never held."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from symbiose.core.bundle import read_bundle
from tests.core.bundle.build import ACTORS, RESOURCES, check, folder

MIB = 2**20
NOTE = "Relevé lors de la visite de site ; quantités estimées par le responsable QSE. " * 2


def generate(path: Path, size: int) -> int:
    """A resources.csv of about `size` bytes: half the rows with their own id and year,
    all referencing the two actors of ACTORS; returns the number of rows."""
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("actor_id,direction,label,kind,ewc,quantity,unit,period,cost_eur,"
                     "confidentiality,id,year,notes\n")
        while stream.tell() < size:
            block = []
            for i in range(rows, rows + 1000):
                explicit = f"r{i},{2020 + i % 5}" if i % 2 else ","
                block.append(
                    f"a{1 + i % 2},{'out' if i % 3 else 'in'},Palettes bois lot {i},material,"
                    f"15 01 03,{i % 997}.5,t,,{i % 50 * 10},,{explicit},{NOTE}\n")
            stream.write("".join(block))
            rows += 1000
    return rows


def peak_of_check(bundle: Path) -> tuple[float, int]:
    tracemalloc.start()
    try:
        with read_bundle(bundle, default_year=2026) as reader:
            result = reader.check()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.ok, result.problems[:3]
    return peak / MIB, result.counts["resources"]


def test_checking_50_mb_keeps_memory_flat(tmp_path: Path) -> None:
    assert check(folder(tmp_path, name="warm", actors=ACTORS, resources=RESOURCES)).ok
    small = folder(tmp_path, name="small", actors=ACTORS)
    big = folder(tmp_path, name="big", actors=ACTORS)
    generate(small / "resources.csv", 2 * MIB)
    rows = generate(big / "resources.csv", 50 * MIB)
    assert (big / "resources.csv").stat().st_size >= 50 * MIB

    big_peak, counted = peak_of_check(big)
    small_peak, _ = peak_of_check(small)

    assert counted == rows
    assert big_peak < 30, f"peak {big_peak:.1f} MiB"
    assert big_peak < small_peak + 5, f"{small_peak:.1f} MiB for 2 MB, {big_peak:.1f} for 50"
