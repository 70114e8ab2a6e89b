"""The ledger's pure part: units, versions, totals, the indicator set, the estimates."""

from __future__ import annotations

import pytest

from symbiose.core.ledger import (
    METRICS,
    Entry,
    IndicatorError,
    LedgerInputError,
    Part,
    current_entries,
    estimate_figures,
    figure_normalise,
    indicator_set,
    total_of_parts,
    yearly_totals,
)
from symbiose.core.ledger.indicators import indicator_parse


@pytest.mark.parametrize(("metric", "value", "unit", "expected"), [
    ("tonnes", 500, "kg", 0.5), ("tonnes", 2, "tonnes", 2.0), ("co2e_t", 5, "kgCO2e", 0.005),
    ("eur", 3, "k€", 3000.0), ("water_m3", 3000, "L", 3.0), ("energy_mwh", 2000, "kWh", 2.0),
    ("jobs", 1.5, "ETP", 1.5), ("virgin_t", 1, "t", 1.0),
])
def test_a_figure_is_stored_in_its_own_unit(metric: str, value: float, unit: str,
                                            expected: float) -> None:
    assert figure_normalise(metric, value, unit) == pytest.approx(expected)


@pytest.mark.parametrize(("metric", "value", "unit", "field"), [
    ("tonnes", 1, "MWh", "unit"), ("eur", 1, "kg", "unit"), ("tonnes", 1, "zorglub", "unit"),
    ("water_m3", 1, "t", "unit"), ("tonnes", -1, "t", "value"),
    ("tonnes", float("nan"), "t", "value"), ("nothing", 1, "t", "metric"),
])
def test_an_impossible_figure_is_refused_naming_its_field(metric: str, value: float,
                                                          unit: str, field: str) -> None:
    with pytest.raises(LedgerInputError) as refused:
        figure_normalise(metric, value, unit)
    assert refused.value.field == field


def test_the_latest_version_counts_and_totals_say_how_sure_they_are() -> None:
    entries = [Entry(1, 10, 2025, "tonnes", 40.0, "estimated"),
               Entry(2, 10, 2025, "tonnes", 38.0, "declared"),  # replaces entry 1
               Entry(3, 11, 2025, "tonnes", 12.0, "verified"),
               Entry(4, 10, 2026, "tonnes", 42.0, "declared")]
    assert [e.id for e in current_entries(entries)] == [2, 3, 4]
    totals = yearly_totals(reversed(entries))  # order of reading does not matter
    assert totals[2025]["tonnes"].value == 50.0
    assert totals[2025]["tonnes"].weakest == "declared"
    assert totals[2025]["tonnes"].verified_share == pytest.approx(12 / 50)
    assert totals[2026]["tonnes"].entries == 1 and set(totals) == {2025, 2026}


def test_totals_summed_apart_add_up_to_the_total_of_the_entries() -> None:
    """A region sums its territories' totals by status, as the database gives them."""
    entries = [Entry(1, 10, 2025, "tonnes", 38.0, "declared"),
               Entry(2, 11, 2025, "tonnes", 12.0, "verified"),
               Entry(3, 12, 2025, "tonnes", 5.0, "estimated"),
               Entry(4, 13, 2025, "tonnes", 20.0, "verified")]
    whole = yearly_totals(entries)[2025]["tonnes"]
    # One territory's parts (10, 11), another's (12, 13): verified appears in both.
    parts = [Part("declared", 38.0, 1), Part("verified", 12.0, 1),
             Part("estimated", 5.0, 1), Part("verified", 20.0, 1)]
    assert total_of_parts(parts) == whole
    assert whole.weakest == "estimated" and whole.verified_share == pytest.approx(32 / 75)
    assert total_of_parts([]) is None


def test_the_packaged_indicator_set_covers_the_ledger_the_funnel_and_elipse() -> None:
    indicators = indicator_set()
    kinds = {i.kind for i in indicators}
    assert kinds == {"ledger", "funnel", "qualitative"}
    assert set(METRICS) <= {i.id for i in indicators if i.kind == "ledger"}
    assert {"actors_contacted", "actors_engaged", "synergies_operational", "workshops_held",
            "meetings_held"} <= {i.id for i in indicators}
    assert all(i.how["fr"] and i.how["en"] and i.source and i.label["fr"] and i.label["en"]
               for i in indicators)


def test_a_territory_adds_indicators_and_a_bad_one_is_refused_by_name() -> None:
    own = indicator_parse({"id": "trainings", "kind": "funnel", "unit": "sessions",
                           "label": "Formations mutualisées", "definition": "Sessions",
                           "filled_by": "the facilitator", "source": "local"})
    assert indicator_set([own])[-1].id == "trainings"
    with pytest.raises(IndicatorError, match="defined twice"):
        indicator_set([own, own])
    with pytest.raises(IndicatorError, match=r"'x'.*computed"):
        indicator_parse({"id": "x", "kind": "funnel", "unit": "u", "label": "X",
                         "definition": "X", "source": "s"})
    with pytest.raises(IndicatorError, match="kind"):
        indicator_parse({"id": "y", "kind": "other", "unit": "u", "label": "Y",
                         "definition": "Y", "computed": "c", "source": "s"})


def test_an_estimate_names_every_factor_it_used() -> None:
    found = {e.metric: e for e in estimate_figures(10.0, "cardboard", 12.0)}
    assert found["tonnes"].value == 10.0
    co2e = found["co2e_t"]
    # avoided production + avoided disposal - transport, from the packaged DESNZ rows
    assert len(co2e.sources) == 3 and all(s.startswith("DESNZ 2025 ") for s in co2e.sources)
    assert found["virgin_t"].value == 10.0
    assert estimate_figures(None, "cardboard", 12.0) == []
    assert {e.metric for e in estimate_figures(5.0, "no_such_class", None)} == {"tonnes"}
