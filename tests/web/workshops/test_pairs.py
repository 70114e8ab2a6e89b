"""Interests in the room, the ranking by mutual interest, the pairs kept as proposals."""

from __future__ import annotations

import pytest
from django.urls import reverse

from symbiose.web.synergies.models import Proposal
from symbiose.web.workshops import selectors, services
from symbiose.web.workshops.models import Card, KeptPair, Pair
from tests.web.workshops.conftest import Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def confirmed(room: Room) -> Room:
    """Every company confirmed all its cards."""
    for participant in room.participants.values():
        ids = list(participant.cards.values_list("pk", flat=True))
        services.cards_decide(participant=participant, confirm=ids, withdraw=[],
                              as_company=True, by=None)
    return room


def _whey_pair(room: Room) -> Pair:
    return Pair.objects.get(workshop=room.workshop, have__label="Lactosérum",
                            want__label="Aliment pour porcs")


def test_no_pair_joins_two_cards_of_one_company(confirmed: Room) -> None:
    pairs = Pair.objects.filter(workshop=confirmed.workshop).select_related("have", "want")
    assert pairs.exists()
    assert all(p.have.participant_id != p.want.participant_id for p in pairs)
    assert all(p.have.side == "out" and p.want.side == "in" for p in pairs)


def test_interests_rank_pairs_by_the_lower_side(confirmed: Room) -> None:
    whey = _whey_pair(confirmed)
    others = Pair.objects.filter(workshop=confirmed.workshop).exclude(pk=whey.pk)
    dairy, farm = confirmed.participants["fromagerie"], confirmed.participants["ferme"]
    services.interest_set(participant=dairy, pair=whey, level=2)
    services.interest_set(participant=farm, pair=whey, level=3)
    if others.exists():
        # One side at 3 and the other at 0 is worth less than 2 and 3.
        other = others.select_related("have__participant", "want__participant").first()
        assert other is not None
        services.interest_set(participant=other.have.participant, pair=other, level=3)
    ranked = selectors.pairs_ranked(workshop=confirmed.workshop)
    assert ranked[0].pair == whey and ranked[0].mutual == 2 and ranked[0].total == 5


def test_interest_only_from_a_side_of_the_pair_and_in_range(confirmed: Room) -> None:
    whey = _whey_pair(confirmed)
    with pytest.raises(services.WorkshopRefused):
        services.interest_set(participant=confirmed.participants["scierie"], pair=whey,
                              level=2)
    with pytest.raises(services.WorkshopRefused):
        services.interest_set(participant=confirmed.participants["ferme"], pair=whey,
                              level=4)


def test_interest_through_the_link_and_the_room(confirmed: Room) -> None:
    whey = _whey_pair(confirmed)
    farm = confirmed.participants["ferme"]
    client = confirmed.client("member")
    client.post(reverse("workshops:link_interest", args=[farm.token, whey.pk]), {"level": 3})
    url = reverse("workshops:interest", args=[confirmed.territory.slug,
                                              confirmed.workshop.pk, whey.pk])
    client.post(url, {"level": 1, "participant": confirmed.participants["fromagerie"].pk})
    row = next(r for r in selectors.pairs_ranked(workshop=confirmed.workshop)
               if r.pair == whey)
    assert (row.have_interest, row.want_interest) == (1, 3)
    # The member acts for its own company only.
    denied = client.post(url, {"level": 3, "participant": farm.pk})
    assert denied.status_code == 404


def test_keeping_pairs_writes_proposals_once(confirmed: Room) -> None:
    whey = _whey_pair(confirmed)
    client = confirmed.client("facilitator")
    url = reverse("workshops:results", args=[confirmed.territory.slug, confirmed.workshop.pk])
    assert client.post(url, {"pairs": [whey.pk]}).status_code == 302
    assert client.post(url, {"pairs": [whey.pk]}).status_code == 302  # posted twice
    proposals = Proposal.objects.filter(territory=confirmed.territory,
                                        origin=Proposal.Origin.WORKSHOP)
    assert proposals.count() == 1
    proposal = proposals.get()
    assert (proposal.supplier, proposal.receiver) == (confirmed.actors["fromagerie"],
                                                      confirmed.actors["ferme"])
    assert proposal.stage == "idea" and proposal.decision == "kept"
    assert KeptPair.objects.get().proposal == proposal


def test_a_pair_already_in_the_catalogue_is_not_written_twice(confirmed: Room) -> None:
    existing = Proposal.objects.create(
        territory=confirmed.territory, type="substitution", resource="lactosérum",
        supplier=confirmed.actors["fromagerie"], receiver=confirmed.actors["ferme"],
        origin="engine")
    kept = services.pairs_keep(workshop=confirmed.workshop, pairs=[_whey_pair(confirmed)],
                               by=confirmed.users["facilitator"])
    assert [k.proposal for k in kept] == [existing] and not kept[0].created
    existing.refresh_from_db()
    assert existing.decision == "kept"
    assert Proposal.objects.filter(territory=confirmed.territory).count() == 1


def test_pairs_survive_a_new_card_with_their_interests(confirmed: Room) -> None:
    whey = _whey_pair(confirmed)
    services.interest_set(participant=confirmed.participants["ferme"], pair=whey, level=3)
    services.card_add(participant=confirmed.participants["scierie"],
                      data={"side": "out", "label": "Copeaux de bois"}, client_key="",
                      by=None)
    again = _whey_pair(confirmed)
    row = next(r for r in selectors.pairs_ranked(workshop=confirmed.workshop)
               if r.pair == again)
    assert row.want_interest == 3
    assert Card.objects.filter(label="Copeaux de bois", status="confirmed").exists()


def test_a_pair_offers_a_business_meeting_with_the_other_side(confirmed: Room) -> None:
    page = confirmed.client("member").get(reverse("workshops:room", args=[
        confirmed.territory.slug, confirmed.workshop.pk])).content.decode()
    dairy, farm = confirmed.actors["fromagerie"], confirmed.actors["ferme"]
    request_url = reverse("meetings:request_create", args=[confirmed.territory.slug])
    assert f'{request_url}?from={dairy.pk}&amp;to={farm.pk}' in page


def test_the_best_pairs_are_counted_among_all_and_the_projector_shows_marked_ones(
        confirmed: Room) -> None:
    whey = _whey_pair(confirmed)
    everything = selectors.pairs_ranked(workshop=confirmed.workshop)
    assert len(everything) >= 2  # else the limit below proves nothing
    services.interest_set(participant=confirmed.participants["ferme"], pair=whey, level=1)
    best, count = selectors.pairs_top(workshop=confirmed.workshop, limit=1)
    assert count == len(everything) and [row.pair for row in best] == [whey]
    assert best[0].have.participant.actor.name == "Fromagerie du Bocage"
    marked, marked_count = selectors.pairs_top(workshop=confirmed.workshop,
                                               interested_only=True)
    assert [row.pair for row in marked] == [whey] and marked_count == 1
    # A company sees only the pairs that concern it.
    sawmill = confirmed.participants["scierie"]
    own, own_count = selectors.pairs_top(workshop=confirmed.workshop,
                                         participant_ids={sawmill.pk})
    assert own_count == len(own) and whey not in [row.pair for row in own]
    assert all(sawmill.pk in (row.have.participant_id, row.want.participant_id)
               for row in own)
    projector = confirmed.client("facilitator").get(reverse(
        "workshops:projector", args=[confirmed.territory.slug, confirmed.workshop.pk]),
        headers={"HX-Request": "true"}).content.decode()
    wanted = projector[projector.index('class="wanted"'):]
    assert wanted.count("<li>") == 1 and "Lactosérum" in wanted


def test_results_open_on_the_most_wanted_and_keep_any_pair(
        confirmed: Room, monkeypatch: pytest.MonkeyPatch) -> None:
    from symbiose.web.workshops import views

    monkeypatch.setattr(views, "RESULTS_PAIRS", 1)
    whey = _whey_pair(confirmed)
    services.interest_set(participant=confirmed.participants["ferme"], pair=whey, level=2)
    other = Pair.objects.filter(workshop=confirmed.workshop).exclude(pk=whey.pk).first()
    assert other is not None
    client = confirmed.client("facilitator")
    url = reverse("workshops:results", args=[confirmed.territory.slug, confirmed.workshop.pk])
    page = client.get(url).content.decode()
    assert f'value="{whey.pk}"' in page and f'value="{other.pk}"' not in page
    assert 'id="results-shown"' in page and 'href="?all=1"' in page
    assert f'value="{other.pk}"' in client.get(url + "?all=1").content.decode()
    # A pair ticked on the full list is kept from either address.
    assert client.post(url, {"pairs": [other.pk]}).status_code == 302
    assert KeptPair.objects.filter(have=other.have, want=other.want).exists()
