"""The demo's region: three territories, two years of history, sheets in the library and
a cross-territory proposal, so that every regional page shows something at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from symbiose.web.demo import demo_prepare
from symbiose.web.demo_region import (
    DEMO_REGION_SLUG,
    DEMO_REGIONAL_FACILITATOR,
    demo_region_ensure,
)
from symbiose.web.region.models import CrossProposal, PracticeSheet, Region
from symbiose.web.region.selectors import region_programme_figures

pytestmark = pytest.mark.django_db


def test_demo_region_shows_something_on_every_page() -> None:
    territory, _ = demo_prepare()
    region = Region.objects.get(slug=DEMO_REGION_SLUG)
    assert region.links.count() == 3 and region.links.filter(territory=territory).exists()
    figures = region_programme_figures(region=region)
    # Two years of programme history, in every territory's ledger.
    assert all(len(t.ledger) >= 2 for t in figures.territories)
    this_year = timezone.localdate().year
    assert sum(t.programme(this_year).funnel["operational"].proposals
               for t in figures.territories) >= 3
    assert PracticeSheet.objects.filter(region=region, published_at__isnull=False).count() >= 2
    assert CrossProposal.objects.filter(region=region).exists()
    client = Client()
    client.force_login(region.memberships.get(user__username=DEMO_REGIONAL_FACILITATOR).user)
    dashboard = client.get(reverse("region:dashboard", args=[region.slug])).content.decode()
    assert "Pôle agroalimentaire de Condé" in dashboard and "—" in dashboard  # k-anonymity
    tonnes = dashboard.split('id="total-tonnes"')[1].split("</tr>")[0]
    assert '<td class="num">—</td>' not in tonnes  # the region's tonnes, from the ledgers
    library = client.get(reverse("region:library", args=[region.slug])).content.decode()
    assert "lactosérum" in library.lower()
    crossings = client.get(reverse("region:crossings", args=[region.slug]))
    assert crossings.status_code == 200 and "table" in crossings.content.decode()
    assert CrossProposal.objects.filter(supplier_agreed_at__isnull=False).count() == 1


def test_demo_region_is_made_once() -> None:
    territory, _ = demo_prepare()
    counts = (CrossProposal.objects.count(), PracticeSheet.objects.count())
    logins = demo_region_ensure(territory=territory, by=None)
    assert (CrossProposal.objects.count(), PracticeSheet.objects.count()) == counts
    assert [login.role for login in logins] == ["regional_facilitator", "regional_observer"]
