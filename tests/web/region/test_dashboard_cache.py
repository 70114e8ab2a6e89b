"""The regional dashboard is kept in memory by each web process (each territory's figures,
its line) and in the shared cache (Redis, when configured): a declaration shows at the
next reading, a withdrawn consent hides a line at once, and a process that has just
started reads the figures another computed from the shared cache, not the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import redis
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from symbiose.web.ledger import services as ledger
from symbiose.web.region import hooks, selectors, views, visibility
from symbiose.web.region.selectors import region_programme_figures
from tests.web.region.conftest import World

pytestmark = pytest.mark.django_db

YEAR = 2025
REDIS = "redis://127.0.0.1:6379/3"


def _declare(world: World, name: str, value: int) -> None:
    proposal = world.proposals[name]
    ledger.entry_declare(synergy=proposal, year=YEAR, metric="tonnes", value=Decimal(value),
                         unit="t", declared_by=proposal.supplier, by=None)


def _page(world: World) -> str:
    response = world.client("regional_observer").get(
        reverse("region:dashboard", args=[world.region.slug]) + f"?year={YEAR}")
    assert response.status_code == 200
    return response.content.decode()


def _line(page: str, territory: str) -> list[str]:
    """The cells of a territory's line on the dashboard."""
    row = page.split(f'<th scope="row">{territory}</th>')[1].split("</tr>")[0]
    return [cell.split(">", 1)[1] for cell in row.split("</td>")[:-1]]


def _restart() -> None:
    """What a web process that has just started holds in memory: nothing."""
    selectors._held = selectors._Held()
    visibility._lines = visibility.Memo(20_000)
    views._lines_html = visibility.Memo(20_000)


def _shown_with_consent(world: World) -> str:
    """The south's two companies agree to appear, the north's figures rest on three: both
    lines are shown. The page, once read."""
    for actor in ("bois", "menuiserie"):
        ledger.consent_set(actor=world.actors[actor], agreed=True, by=None)
    _declare(world, "cardboard", 40)
    _declare(world, "whey", 4000)
    _declare(world, "sawdust", 120)
    page = _page(world)
    assert _line(page, "Territoire Sud")[-3] == "120"
    return page


def test_a_declaration_shows_at_the_next_reading_in_its_line_and_the_totals(
        world: World) -> None:
    page = _shown_with_consent(world)
    north = _line(page, "Territoire Nord")
    # The south's company corrects its figure: its line and the region's total follow,
    # the north's line (read from memory) does not move.
    _declare(world, "sawdust", 135)
    page = _page(world)
    assert _line(page, "Territoire Sud")[-3] == "135"
    assert _line(page, "Territoire Nord") == north
    tonnes = page.split('id="total-tonnes"')[1].split("</tr>")[0]
    assert "4175" in tonnes.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    # A process that has just started reads the same.
    _restart()
    assert _line(_page(world), "Territoire Sud")[-3] == "135"


def test_a_withdrawn_consent_hides_the_line_and_what_would_give_it_away_at_once(
        world: World) -> None:
    page = _shown_with_consent(world)
    # Read again (from memory), the same.
    assert _line(_page(world), "Territoire Sud") == _line(page, "Territoire Sud")
    ledger.consent_set(actor=world.actors["bois"], agreed=False, by=None)
    page = _page(world)
    assert _line(page, "Territoire Sud")[-3:] == ["—", "—", "—"]
    # The region's total less the north's line would give the south's away.
    tonnes = page.split('id="total-tonnes"')[1].split("</tr>")[0]
    assert '<td class="num">—</td>' in tonnes
    assert 'id="protection-notes"' in page
    # Given again: shown again.
    ledger.consent_set(actor=world.actors["bois"], agreed=True, by=None)
    assert _line(_page(world), "Territoire Sud")[-3] == "120"


@pytest.fixture
def shared_cache() -> Iterator[str]:
    """The cache in a Redis of its own prefix, as `SYMBIOSE_CACHE_URL` configures it."""
    prefix = f"test-{uuid.uuid4().hex}-cache"
    with override_settings(CACHES={"default": {
            "BACKEND": "symbiose.web.cache.SharedRedisCache", "LOCATION": REDIS,
            "KEY_PREFIX": prefix}}):
        _restart()
        yield prefix
        cache.clear()
    _restart()


def test_a_process_just_started_reads_the_figures_from_the_shared_cache(
        world: World, shared_cache: str, ledger_reads: list[list[int]]) -> None:
    read = ledger_reads
    _declare(world, "sawdust", 120)
    before = region_programme_figures(region=world.region)
    assert len(read) == 1
    _restart()
    after = region_programme_figures(region=world.region)
    assert len(read) == 1  # from Redis, not from the database
    assert after == before
    # A declaration after the restart is read again, in its territory only.
    _declare(world, "sawdust", 125)
    figures = region_programme_figures(region=world.region)
    assert read[1:] == [[world.south.pk]]
    south = next(t for t in figures.territories if t.territory_id == world.south.pk)
    assert south.ledger[YEAR]["tonnes"][0].value == 125


def test_emptying_the_shared_cache_leaves_other_keys_of_its_redis(
        world: World, shared_cache: str) -> None:
    client = redis.Redis.from_url(REDIS)
    other = f"test-{uuid.uuid4().hex}:queue"  # a task queue's or another instance's
    client.set(other, "kept", ex=60)
    try:
        region_programme_figures(region=world.region)
        assert client.keys(f"{shared_cache}:*")
        cache.clear()
        assert not client.keys(f"{shared_cache}:*")
        assert client.get(other) == b"kept"
        # Emptied, it is no longer read from this process's memory either.
        assert region_programme_figures(region=world.region).territories
        assert client.keys(f"{shared_cache}:*")
    finally:
        client.delete(other)


def test_a_committed_declaration_reads_its_territory_again_before_any_reader(
        world: World, ledger_reads: list[list[int]],
        django_capture_on_commit_callbacks: Any) -> None:
    region_programme_figures(region=world.region)
    assert len(ledger_reads) == 1
    with django_capture_on_commit_callbacks(execute=True):
        _declare(world, "sawdust", 120)
    assert ledger_reads[1:] == [[world.south.pk]]  # at the commit, its territory only
    figures = region_programme_figures(region=world.region)
    assert len(ledger_reads) == 2  # the reader reads nothing again
    south = next(t for t in figures.territories if t.territory_id == world.south.pk)
    assert south.ledger[YEAR]["tonnes"][0].value == 120
    # A consent withdrawn: read again at the commit too, and the line hides at once.
    with django_capture_on_commit_callbacks(execute=True):
        page = _shown_with_consent(world)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.consent_set(actor=world.actors["bois"], agreed=False, by=None)
    assert ledger_reads[-1] == [world.south.pk]
    assert _line(_page(world), "Territoire Sud")[-3:] == ["—", "—", "—"]
    assert _line(page, "Territoire Sud")[-3] == "120"


def test_a_transaction_of_many_entries_reads_its_territory_again_once(
        world: World, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: Any) -> None:
    refreshed: list[int] = []
    monkeypatch.setattr(hooks, "territory_figures_refresh",
                        lambda *, territory_id: refreshed.append(territory_id))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for value in (100, 110, 120):
            _declare(world, "sawdust", value)
        _declare(world, "whey", 4000)
    assert sorted(refreshed) == sorted([world.south.pk, world.north.pk])


def test_territories_computed_together_do_not_expire_together(world: World) -> None:
    import time

    _restart()
    before = time.time()
    _page(world)
    untils = [until for until, _ in selectors._held._entries.values()]
    assert len(untils) == 2  # the region's two territories
    assert all(before + selectors.CACHE_SECONDS / 2 <= until
               <= time.time() + selectors.CACHE_SECONDS for until in untils)
    assert len(set(untils)) == 2
