"""A company member declares its own figures and gives its consent from its space: only
for the synergies its company is part of; the figure enters the ledger's history as
declared by the company and recorded by the member; a verified figure is replaced only
when the member says so; the consent is audited and the report follows it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from symbiose.web.accounts.models import Role
from symbiose.web.accounts.services import membership_set
from symbiose.web.audit.models import AuditEvent
from symbiose.web.ledger import services
from symbiose.web.ledger.models import LedgerEntry, ReportConsent, Status
from symbiose.web.ledger.report.content import report_build
from tests.web.ledger.conftest import Park

pytestmark = pytest.mark.django_db
YEAR = 2025


def _figure_url(park: Park, synergy_pk: int) -> str:
    return reverse("company:synergy_figures", args=[park.territory.slug, synergy_pk])


def _declare(client: Client, park: Park, value: str, unit: str, **extra: str) -> str:
    response = client.post(_figure_url(park, park.sawdust.pk), {
        "year": str(YEAR), "metric": "tonnes", "value": value, "unit": unit,
        "declared_by": str(park.actors["scierie"].pk), "note": "", **extra})
    return f"{response.status_code} {response.content.decode()}"


def _printer_member(park: Park) -> Client:
    """A member of the printer, a company of the cardboard synergy only."""
    user = User.objects.create_user("printer", password="pw-for-tests-1")
    membership_set(user=user, territory=park.territory, role=Role.MEMBER,
                   actors=[park.actors["imprimerie"]])
    client = Client()
    client.force_login(user)
    return client


def test_the_member_sees_its_synergies_only_and_declares_a_figure(park: Park) -> None:
    member = park.client("member")
    page = member.get(reverse("company:figures", args=[park.territory.slug])).content.decode()
    assert "Sciure et copeaux de bois" in page and "Cartons" not in page
    answer = _declare(member, park, "118000", "kg")
    assert answer.startswith("302")
    entry = LedgerEntry.objects.get()
    assert (entry.status, entry.value, entry.unit, entry.given_value) == (
        Status.DECLARED, Decimal("118"), "t", "118000 kg")
    assert entry.declared_by == park.actors["scierie"]
    assert entry.recorded_by == park.users["member"] and entry.recorded_at is not None
    assert AuditEvent.objects.filter(detail__contains="declared",
                                     actor=park.actors["scierie"]).count() == 1
    # The facilitator sees it on the ledger page, declared, and who entered it.
    facilitator = park.client("facilitator")
    ledger = facilitator.get(reverse("ledger:home", args=[park.territory.slug]),
                             {"year": YEAR}).content.decode()
    assert "status-declared" in ledger
    detail = facilitator.get(reverse("ledger:synergy", args=[park.territory.slug,
                                                             park.sawdust.pk])).content.decode()
    assert "Scierie Durand" in detail and "(member)" in detail


def test_the_other_company_of_the_synergy_is_not_named_to_the_member(park: Park) -> None:
    services.entry_declare(synergy=park.sawdust, year=YEAR, metric="energy_mwh",
                           value=Decimal("40"), unit="MWh",
                           declared_by=park.actors["chaufferie"], by=park.users["facilitator"])
    page = park.client("member").get(_figure_url(park, park.sawdust.pk),
                                      {"year": YEAR}).content.decode()
    assert "40 MWh" in page.replace("40,00", "40").replace("40.00", "40")
    assert "Chaufferie" not in page
    assert "une autre entreprise de la synergie" in page \
        or "another company of the synergy" in page


@pytest.mark.parametrize(("value", "unit", "words"), [
    ("-3", "t", "négatif"), ("5", "MWh", "MWh"), ("5", "furlongs", "furlongs")])
def test_an_impossible_figure_is_refused_beside_its_field_and_nothing_is_lost(
        park: Park, value: str, unit: str, words: str) -> None:
    member = park.client("member")
    assert _declare(member, park, "118", "t").startswith("302")
    answer = _declare(member, park, value, unit)
    assert answer.startswith("400") and words in answer
    assert LedgerEntry.objects.count() == 1 and LedgerEntry.objects.get().value == 118


def test_a_member_of_another_company_neither_sees_nor_posts_for_the_synergy(
        park: Park) -> None:
    printer = _printer_member(park)
    url = _figure_url(park, park.sawdust.pk)
    assert printer.get(url).status_code == 404
    assert _declare(printer, park, "118", "t").startswith("404")
    # Its own synergy is open to it; the facilitator has no company to speak for here.
    assert printer.get(_figure_url(park, park.cardboard.pk)).status_code == 200
    assert park.client("facilitator").get(url).status_code == 404
    # The sawmill's member cannot declare for the other company of its synergy.
    answer = _declare(park.client("member"), park, "118", "t",
                      declared_by=str(park.actors["chaufferie"].pk))
    assert answer.startswith("400")
    assert not LedgerEntry.objects.exists()


def test_a_verified_figure_is_replaced_only_when_the_member_confirms(park: Park) -> None:
    member = park.client("member")
    _declare(member, park, "118", "t")
    verified = services.entry_verify(entry=LedgerEntry.objects.get(), verifier="Cabinet Audit",
                                     evidence="Bons de pesée", by=park.users["facilitator"])
    answer = _declare(member, park, "125", "t")
    assert answer.startswith("400") and "Cabinet Audit" in answer
    assert LedgerEntry.objects.order_by("-id").first() == verified
    assert _declare(member, park, "125", "t", replace_verified="on").startswith("302")
    latest = LedgerEntry.objects.order_by("-id").first()
    assert latest is not None and latest.previous == verified
    assert latest.status == Status.DECLARED and "Cabinet Audit" in latest.note
    verified.refresh_from_db()
    assert verified.value == 118  # still in the history


def test_the_member_gives_and_withdraws_its_consent_and_the_report_follows(
        park: Park) -> None:
    services.entry_declare(synergy=park.sawdust, year=YEAR, metric="tonnes",
                           value=Decimal("118"), unit="t", declared_by=park.actors["scierie"],
                           by=None)
    services.consent_set(actor=park.actors["chaufferie"], agreed=True, by=None)
    member = park.client("member")
    url = reverse("company:consent", args=[park.territory.slug])
    scierie = park.actors["scierie"]
    page = member.get(reverse("company:figures", args=[park.territory.slug])).content.decode()
    assert "Sans votre accord" in page or "Without it" in page

    def named() -> bool:
        report = report_build(territory=park.territory, year=YEAR, by=None)
        return "Scierie Durand" in next(s for s in report.synergies
                                        if s.id == park.sawdust.pk).actors

    assert not named()
    assert member.post(url, {"actor": scierie.pk, "agreed": "1"}).status_code == 302
    assert ReportConsent.objects.filter(actor=scierie).exists() and named()
    assert AuditEvent.objects.filter(actor=scierie, detail="report consent given",
                                     user=park.users["member"]).exists()
    member.post(url, {"actor": scierie.pk, "agreed": "0"})
    assert not ReportConsent.objects.filter(actor=scierie).exists() and not named()
    assert AuditEvent.objects.filter(actor=scierie, detail="report consent withdrawn").exists()
    # Another company's member cannot speak for the sawmill.
    assert _printer_member(park).post(url, {"actor": scierie.pk,
                                            "agreed": "1"}).status_code == 404
    assert not ReportConsent.objects.filter(actor=scierie).exists()
