"""The command's columnar output: the bytes the proposals' records give, and the pairs'
figures computed for all pairs at once as the impact functions give them one by one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiose.core.bundle import write_synergies_csv
from symbiose.core.bundle.writer import csv_cell, write_synergy_cells
from symbiose.core.classes.vocabulary import resource_classes
from symbiose.core.impact.estimate import euros_saved, exchange_impact
from symbiose.core.knowledge.base import knowledge_base
from symbiose.core.matching import explain, propose_tables
from symbiose.core.matching.cells import figure_cell, figure_cells, propose_cells
from symbiose.core.matching.engine import select, shortlist
from symbiose.core.matching.pairvalues import decimal, pair_values
from tests.cases import case_dirs
from tests.core.matching.tiling import Territory, case_tables, grid_territories, tables

# Names and labels a spreadsheet would run, a carriage return (the row fully quoted),
# French elisions at a text's start and end, and the character `render_all` joins with.
ODD = ["=SUM(A1)", "+33 6 12", "Atelier\rde Anne", "de Orléans", "Usine de Ecully",
       "-", "De Hérault", "x\x00y", "Zone d'activité de Irigny de "]


def with_odd_texts(territory: Territory, picks: list[int]) -> Territory:
    actors, resources = territory
    actors = [dataclasses.replace(a, name=ODD[p % len(ODD)]) if p >= 0 else a
              for a, p in zip(actors, picks + [-1] * len(actors), strict=False)]
    resources = [dataclasses.replace(r, label=ODD[p % len(ODD)] + " " + r.label)
                 if p >= 0 else r
                 for r, p in zip(resources, picks + [-1] * len(resources), strict=False)]
    return actors, resources


def written_both_ways(territory: Territory, tmp: Path, *, radius_km: float = 30.0,
                      language: str = "en", fork: bool = False) -> tuple[bytes, bytes]:
    actors, table = tables(territory)
    records = [p.record for p in propose_tables(actors, table, radius_km=radius_km,
                                                language=language)]
    cells = propose_cells(actors, table, radius_km=radius_km, language=language, fork=fork)
    assert len(cells) == len(records)
    write_synergies_csv(tmp / "records.csv", records)
    write_synergy_cells(tmp / "cells.csv", cells.columns)
    return (tmp / "records.csv").read_bytes(), (tmp / "cells.csv").read_bytes()


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(territory=grid_territories(), language=st.sampled_from(["en", "fr"]),
       picks=st.lists(st.integers(-3, 20), max_size=30), radius_km=st.sampled_from([5, 30]),
       fork=st.booleans())
def test_cells_write_the_bytes_of_the_records(territory: Territory, language: str,
                                              picks: list[int], radius_km: float,
                                              fork: bool, tmp_path: Path) -> None:
    by_records, by_cells = written_both_ways(with_odd_texts(territory, picks), tmp_path,
                                             radius_km=radius_km, language=language,
                                             fork=fork)
    assert by_cells == by_records


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("fork", [False, True], ids=["here", "pools-forked"])
def test_cells_of_a_case_are_the_records_bytes(case: Path, language: str, fork: bool,
                                               tmp_path: Path) -> None:
    actors, table = case_tables(case)
    records = [p.record for p in propose_tables(actors, table, language=language)]
    write_synergies_csv(tmp_path / "records.csv", records)
    write_synergy_cells(tmp_path / "cells.csv",
                        propose_cells(actors, table, language=language, fork=fork).columns)
    assert records
    assert (tmp_path / "cells.csv").read_bytes() == (tmp_path / "records.csv").read_bytes()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(territory=grid_territories(max_actors=80))
def test_pair_figures_are_the_impact_functions_pair_by_pair(territory: Territory) -> None:
    actors, table = tables(territory)
    kb = knowledge_base()
    chosen = select(table, shortlist(actors, table, kb, radius_km=40.0, top_k=3), top_k=3,
                    min_score=0.2)
    values = pair_values(actors, table, kb, chosen, language="en", factors=None)
    for i, (offer, need) in enumerate(zip(chosen.offer.tolist(), chosen.need.tolist(),
                                          strict=True)):
        rule = kb.rules[chosen.rule[i]]
        qo, qn = float(table.quantity[offer]), float(table.quantity[need])
        uo, un = table.unit[offer], table.unit[need]
        if uo == un and qo == qo and qn == qn:
            quantity, unit = decimal(min(qo, qn)), uo
        elif qo == qo:
            quantity, unit = decimal(qo), uo
        elif qn == qn:
            quantity, unit = decimal(qn), un
        else:
            quantity, unit = None, ""
        exchanged = None if quantity is None else float(quantity)
        distance = float(chosen.distance_km[i])
        impact = exchange_impact(rule.out_class, rule.in_class, exchanged, unit,
                                 None if distance != distance else distance)
        co, cn = float(table.cost[offer]), float(table.cost[need])
        eur = euros_saved(exchanged if uo == un == unit else None, qo, qn,
                          None if co != co else co, None if cn != cn else cn,
                          rule.value_eur if unit == rule.per else None)
        assert decimal(values.quantity[i]) == quantity
        assert values.unit[i] == (unit if quantity is not None else "")
        assert decimal(values.co2e_avoided_t[i], 1) == (
            None if impact.co2e_avoided_t is None else decimal(impact.co2e_avoided_t, 1))
        assert decimal(values.eur_saved[i], 0) == (None if eur is None else decimal(eur, 0))
        assert values.sharing[i] == (resource_classes()[rule.in_class].kind
                                     in {"equipment", "space", "skill"})


def test_the_figures_of_a_region_are_known_for_many_pairs() -> None:
    """The property above compares something: most synthetic pairs have figures."""
    from symbiose.core.synth import synth_territory

    actors, table = tables(synth_territory(300, seed=3))
    kb = knowledge_base()
    chosen = select(table, shortlist(actors, table, kb, radius_km=50.0, top_k=3), top_k=3,
                    min_score=0.2)
    values = pair_values(actors, table, kb, chosen, language="en", factors=None)
    known = [sum(v == v for v in figures) for figures in
             (values.quantity, values.co2e_avoided_t, values.eur_saved)]
    assert all(count > len(values.quantity) // 10 for count in known), known


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("odd", ["", "x\x00"])
def test_render_columns_is_render_of_each_row(language: str, odd: str) -> None:
    suppliers = ["de Anne", "Atelier De Ecully", odd + "de Anne", "Les Ifs de "]
    params = {"supplier": suppliers, "receiver": ["Orange"] * 4, "offer": ["de Anne"] * 4,
              "need": ["x"] * 4, "process": ["p %s"] * 4, "where": [""] * 4,
              "amount": [""] * 4, "caveats": ["; 10 %"] * 4}
    templates = [explain.SUBSTITUTION, explain.SHARING, explain.SHARING, explain.SUBSTITUTION]
    expected = [explain.render(t, {k: v[i] for k, v in params.items()}, language)
                for i, t in enumerate(templates)]
    assert explain.render_columns(templates, params, language) == expected
    assert expected[0].startswith("d’Anne" if language == "fr" else "de Anne")


@settings(max_examples=2000, deadline=None)
@given(value=st.floats(allow_infinity=False, min_value=-1e22, max_value=1e22)
       | st.integers(-10**7, 10**7).map(lambda n: n / 1000) | st.just(float("nan")),
       places=st.sampled_from([0, 1, 3]))
def test_a_figure_cell_is_the_decimal_cell(value: float, places: int) -> None:
    assert figure_cell(value, places) == csv_cell(decimal(value, places))


@settings(max_examples=500, deadline=None)
@given(values=st.lists(st.floats(min_value=-1e22, max_value=1e22)
                       | st.integers(-10**7, 10**7).map(lambda n: n / 1000)
                       | st.integers(-10**6, 10**6).map(lambda n: n / 2 / 10**3)
                       | st.sampled_from([float("nan"), -0.0]),
                       max_size=40),
       places=st.sampled_from([0, 1, 3]))
def test_a_column_of_figures_is_each_figure_cell(values: list[float], places: int) -> None:
    assert figure_cells(values, places) == [figure_cell(value, places) for value in values]


@pytest.mark.parametrize("value", [35184372088832.438, 2.0**45 + 0.3, 123456789012.3456, -0.0004])
def test_a_figure_near_the_float_spacing_is_written_as_figure_cell(value: float) -> None:
    # Found by Hypothesis: at 3.5e13 two floats are 0.004 apart, so "%.3f" writes a digit
    # that round(value, 3) does not keep.
    assert figure_cells([value], 3) == [figure_cell(value, 3)]
    assert figure_cells([value], 1) == [figure_cell(value, 1)]
