"""The company's personal page: last year's lines pre-filled, the answer written as the
year's lines through the balance services with their audit, all or nothing, once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse

from symbiose.web.audit.models import AuditEvent
from symbiose.web.campaigns.models import Campaign, Invitation
from symbiose.web.territory.models import Resource
from tests.web.campaigns.conftest import Setup


def _invitation(setup: Setup, actor: str = "fromagerie") -> Invitation:
    campaign = setup.open()
    return campaign.invitations.get(actor=setup.actors[actor])


def _url(invitation: Invitation) -> str:
    return reverse("campaigns:link", args=[invitation.token])


def _lines(setup: Setup, actor: str, year: int) -> dict[str, tuple[Any, str]]:
    return {r.label: (r.quantity, r.unit)
            for r in Resource.objects.filter(actor=setup.actors[actor], year=year)}


def _form(setup: Setup, actor: str, year: int, **changes: str) -> dict[str, str]:
    """The page's form as it comes pre-filled, with `changes` typed over it."""
    data: dict[str, str] = {"new-0-direction": "out", "new-1-direction": "out",
                            "new-2-direction": "in"}
    for line in Resource.objects.filter(actor=setup.actors[actor], year=year):
        data.update({f"line-{line.pk}-label": line.label,
                     f"line-{line.pk}-quantity": f"{line.quantity.normalize():f}",
                     f"line-{line.pk}-unit": line.unit})
    data.update(changes)
    return data


def _pk(setup: Setup, actor: str, year: int, label: str) -> int:
    return Resource.objects.get(actor=setup.actors[actor], year=year, label=label).pk


def test_the_page_shows_last_years_lines_and_marks_the_link_opened(setup: Setup) -> None:
    invitation = _invitation(setup)
    page = Client().get(_url(invitation)).content.decode()
    assert "Lactosérum" in page and "Électricité" in page
    assert "Cartons usagés" not in page  # 2024: not the latest year
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.OPENED and invitation.opened_at


def test_a_submission_copies_changes_drops_and_adds_with_audit(setup: Setup) -> None:
    invitation = _invitation(setup)
    whey, power = (_pk(setup, "fromagerie", 2025, label)
                   for label in ("Lactosérum", "Électricité"))
    before = AuditEvent.objects.count()
    response = Client().post(_url(invitation), _form(
        setup, "fromagerie", 2025, **{f"line-{whey}-quantity": "950",
                                      f"line-{power}-drop": "on",
                                      "new-0-label": "Palettes bois",
                                      "new-0-quantity": "12", "new-0-unit": "t"}))
    assert response.status_code == 302
    assert _lines(setup, "fromagerie", 2026) == {
        "Lactosérum": (Decimal("950"), "t"), "Palettes bois": (Decimal("12"), "t")}
    assert len(_lines(setup, "fromagerie", 2025)) == 2  # last year's balance untouched
    assert AuditEvent.objects.count() == before + 2  # one per line written
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SUBMITTED and invitation.submitted_at
    assert invitation.summary == {"kept": 0, "changed": 1, "dropped": 1, "added": 1,
                                  "likely": 0}


def test_a_balance_of_the_year_is_changed_in_place(setup: Setup) -> None:
    invitation = _invitation(setup, "scierie")
    dust = _pk(setup, "scierie", 2026, "Sciure de bois")
    Client().post(_url(invitation), _form(setup, "scierie", 2026,
                                          **{f"line-{dust}-quantity": "320"}))
    assert _lines(setup, "scierie", 2026) == {"Sciure de bois": (Decimal("320"), "t")}
    assert Resource.objects.get(pk=dust).quantity == Decimal("320")  # the same line
    assert AuditEvent.objects.filter(detail__contains="Sciure de bois").count() == 1


def test_a_line_dropped_from_the_year_is_removed_with_audit(setup: Setup) -> None:
    invitation = _invitation(setup, "scierie")
    dust = _pk(setup, "scierie", 2026, "Sciure de bois")
    Client().post(_url(invitation), _form(setup, "scierie", 2026,
                                          **{f"line-{dust}-drop": "on"}))
    assert not Resource.objects.filter(pk=dust).exists()
    assert AuditEvent.objects.filter(detail__contains="Sciure de bois").count() == 1


def test_an_absurd_or_negative_quantity_is_refused_beside_its_field(setup: Setup) -> None:
    invitation = _invitation(setup)
    whey, power = (_pk(setup, "fromagerie", 2025, label)
                   for label in ("Lactosérum", "Électricité"))
    for typed in ("-5", "9999999999999999"):
        response = Client().post(_url(invitation), _form(
            setup, "fromagerie", 2025, **{f"line-{whey}-quantity": typed,
                                          f"line-{power}-unit": "MWh",
                                          "new-0-label": "Palettes bois"}))
        page = response.content.decode()
        assert response.status_code == 400
        field = page.index(f'name="line-{whey}-quantity"')
        assert page.index('class="errorlist', field) < page.index(
            f'name="line-{whey}-unit"', field)  # the message sits beside its field
        assert f'value="{typed}"' in page and 'value="Palettes bois"' in page  # kept
        assert _lines(setup, "fromagerie", 2026) == {}  # nothing written
    invitation.refresh_from_db()
    assert invitation.status != Invitation.Status.SUBMITTED


def test_an_unknown_unit_on_a_new_line_writes_nothing(setup: Setup) -> None:
    invitation = _invitation(setup)
    response = Client().post(_url(invitation), _form(
        setup, "fromagerie", 2025, **{"new-0-label": "Palettes", "new-0-unit": "zorglub"}))
    assert response.status_code == 400 and "zorglub" in response.content.decode()
    assert _lines(setup, "fromagerie", 2026) == {}


def test_the_link_after_submission_says_so_and_takes_no_second_one(setup: Setup) -> None:
    invitation = _invitation(setup)
    form = _form(setup, "fromagerie", 2025)
    Client().post(_url(invitation), form)
    assert len(_lines(setup, "fromagerie", 2026)) == 2
    page = Client().get(_url(invitation))
    assert 'id="submitted-when"' in page.content.decode()
    assert 'id="campaign-form"' not in page.content.decode()
    again = Client().post(_url(invitation), form)
    assert again.status_code == 409 and 'id="already-submitted"' in again.content.decode()
    assert len(_lines(setup, "fromagerie", 2026)) == 2  # nothing twice


def test_another_account_is_refused_with_a_message(setup: Setup) -> None:
    invitation = _invitation(setup)
    for role in ("outsider", "observer"):
        client = setup.client(role)
        response = client.get(_url(invitation))
        assert response.status_code == 403
        assert 'id="link-refused"' in response.content.decode()
        assert "Lactosérum" not in response.content.decode()
        assert client.post(_url(invitation), _form(setup, "fromagerie", 2025)
                           ).status_code == 403
    assert _lines(setup, "fromagerie", 2026) == {}
    invitation.refresh_from_db()
    assert invitation.opened_at is None


def test_its_member_and_its_facilitator_may_open_it(setup: Setup) -> None:
    invitation = _invitation(setup)
    assert setup.client("facilitator").get(_url(invitation)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.opened_at is None  # the facilitator's look is not the company's
    assert setup.client("member").get(_url(invitation)).status_code == 200
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_a_closed_campaign_takes_no_answer(setup: Setup) -> None:
    invitation = _invitation(setup)
    Campaign.objects.update(state=Campaign.State.CLOSED)
    response = Client().post(_url(invitation), _form(setup, "fromagerie", 2025))
    assert response.status_code == 409 and _lines(setup, "fromagerie", 2026) == {}


def test_a_wrong_token_is_not_found(setup: Setup) -> None:
    assert Client().get(reverse("campaigns:link", args=["nope"])).status_code == 404


def test_a_ticked_likely_flow_is_added_as_an_estimate(setup: Setup) -> None:
    from symbiose.web.campaigns.selectors import likely_offered, prefill

    invitation = _invitation(setup)
    offered = likely_offered(invitation=invitation, lines=prefill(invitation=invitation).lines)
    assert offered, "a dairy's activity has likely flows"
    flow = offered[0]
    response = Client().post(_url(invitation), {
        **_form(setup, "fromagerie", 2025), "likely": f"{flow.direction}:{flow.class_id}"})
    assert response.status_code == 302
    added = Resource.objects.get(actor=setup.actors["fromagerie"], year=2026,
                                 resource_class=flow.class_id, direction=flow.direction)
    assert added.label == flow.label
    assert len(_lines(setup, "fromagerie", 2026)) == 3  # the two confirmed, the flow
    invitation.refresh_from_db()
    assert invitation.summary["likely"] == 1 and invitation.summary["kept"] == 2
