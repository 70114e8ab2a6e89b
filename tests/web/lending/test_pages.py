"""The lending pages: who sees what, forms posted twice, refusals beside their field."""

from __future__ import annotations

import datetime

from django.urls import reverse
from icalendar import Calendar

from symbiose.web.lending import services
from symbiose.web.lending.models import Booking, Offer
from tests.web.lending.conftest import Park, line_make, tomorrow

DAY = datetime.timedelta(days=1)
LOCAL = "%Y-%m-%dT%H:%M"


def _url(name: str, park: Park, *args: object) -> str:
    return reverse(f"lending:{name}", args=[park.territory.slug, *args])


def test_members_see_offers_observers_do_not(park: Park) -> None:
    for role in ("borrower", "other", "lender", "facilitator"):
        page = park.client(role).get(_url("offers", park))
        assert page.status_code == 200
        assert "Chariot élévateur 2,5 t" in page.content.decode()
        assert "SECRETLABEL" not in page.content.decode()
    assert park.client("observer").get(_url("offers", park)).status_code == 404
    assert park.client("observer").get(_url("offer", park, park.offer.pk)).status_code == 404


def test_withdrawn_offer_only_for_its_company(park: Park) -> None:
    services.offer_update(offer=park.offer, data={"active": False}, by=None)
    assert park.client("other").get(_url("offer", park, park.offer.pk)).status_code == 404
    assert park.client("lender").get(_url("offer", park, park.offer.pk)).status_code == 200


def test_offer_a_line_from_the_actor_page_once(park: Park) -> None:
    line = line_make(park.actors["brasserie"], "Salle de dégustation", kind="space")
    client = park.client("borrower")
    actor_page = client.get(reverse("territory:actor", args=["vallee", "brasserie"]))
    assert _url("offer_create", park, line.pk) in actor_page.content.decode()
    # Another company's member may not offer this line.
    assert park.client("other").get(_url("offer_create", park, line.pk)).status_code == 404
    form = client.get(_url("offer_create", park, line.pk))
    token = form.context["token"]
    data = {"title": "Salle de dégustation (40 places)", "pricing": "half_day",
            "price_eur": "", "always_available": "on", "submission_token": token}
    refused = client.post(_url("offer_create", park, line.pk), data)
    assert refused.status_code == 400
    assert "id_price_eur-errors" in refused.content.decode()
    data["price_eur"] = "60"
    data["blocked"] = "01/08/2026 – 31/08/2026\nle 15 août"
    refused = client.post(_url("offer_create", park, line.pk), data)
    assert "id_blocked-errors" in refused.content.decode()
    assert "Ligne 2" in refused.content.decode() or "Line 2" in refused.content.decode()
    data["blocked"] = "01/08/2026 – 31/08/2026"
    first = client.post(_url("offer_create", park, line.pk), data)
    again = client.post(_url("offer_create", park, line.pk), data)
    offer = Offer.objects.get(resource=line)
    assert first.status_code == again.status_code == 302
    assert first.url == again.url == _url("offer", park, offer.pk)
    assert offer.periods.get().kind == "blocked"
    actor_page = client.get(reverse("territory:actor", args=["vallee", "brasserie"]))
    assert _url("offer", park, offer.pk) in actor_page.content.decode()
    assert _url("company_ics", park, "brasserie") in actor_page.content.decode()


def test_request_booking_posted_twice_creates_one(park: Park) -> None:
    client = park.client("borrower")
    token = client.get(_url("book", park, park.offer.pk)).context["token"]
    data = {"borrower": park.actors["brasserie"].pk, "start": tomorrow().strftime(LOCAL),
            "end": (tomorrow() + DAY).strftime(LOCAL), "message": "Pour samedi",
            "submission_token": token}
    first = client.post(_url("book", park, park.offer.pk), data)
    second = client.post(_url("book", park, park.offer.pk), data)
    booking = Booking.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == _url("booking", park, booking.pk)
    assert booking.status == "pending" and booking.borrower == park.actors["brasserie"]


def test_bad_booking_input_beside_its_field(park: Park) -> None:
    park.book(tomorrow(), days=2, borrower="fromagerie")
    client = park.client("borrower")
    cases = [
        ((tomorrow() + DAY), tomorrow(), "id_end-errors"),
        (tomorrow() - 5 * DAY, tomorrow() - 4 * DAY, "id_start-errors"),
        (tomorrow() + 3 * DAY, tomorrow() + 20 * DAY, "id_end-errors"),
        (tomorrow() + DAY, tomorrow() + 3 * DAY, "id_start-errors"),  # overlap
    ]
    for start, end, where in cases:
        page = client.post(_url("book", park, park.offer.pk), {
            "borrower": park.actors["brasserie"].pk, "start": start.strftime(LOCAL),
            "end": end.strftime(LOCAL), "submission_token": f"t-{where}-{start}"})
        assert page.status_code == 400, (start, end)
        assert where in page.content.decode(), (start, end)
    page = client.post(_url("book", park, park.offer.pk), {
        "borrower": park.actors["brasserie"].pk, "start": "demain", "end": ""})
    assert "id_start-errors" in page.content.decode() and "id_end-errors" in page.content.decode()
    # A company the member does not speak for.
    page = client.post(_url("book", park, park.offer.pk), {
        "borrower": park.actors["garage"].pk, "start": (tomorrow() + 5 * DAY).strftime(LOCAL),
        "end": (tomorrow() + 6 * DAY).strftime(LOCAL)})
    assert "id_borrower-errors" in page.content.decode()
    assert Booking.objects.count() == 1


def test_lender_cannot_book_its_own_item(park: Park) -> None:
    page = park.client("lender").get(_url("offer", park, park.offer.pk))
    assert _url("book", park, park.offer.pk) not in page.content.decode()


def test_others_see_the_period_taken_not_who_nor_the_notes(park: Park) -> None:
    booking = park.book(tomorrow(), days=2)
    booking = services.booking_answer(booking=booking, accept=True, note="NOTEANSWER", by=None)
    services.booking_check_out(booking=booking, note="NOTECHECKOUT", by=None)
    other = park.client("other")
    page = other.get(_url("offer", park, park.offer.pk)).content.decode()
    assert "Brasserie des Collines" not in page and "NOTECHECKOUT" not in page
    assert tomorrow().strftime("%d/%m/%Y") in page
    assert other.get(_url("booking", park, booking.pk)).status_code == 404
    ics = other.get(_url("offer_ics", park, park.offer.pk)).content.decode()
    assert "BEGIN:VEVENT" in ics and "Brasserie" not in ics
    assert other.get(_url("company_ics", park, "brasserie")).status_code == 404
    for role in ("borrower", "lender", "facilitator"):
        page = park.client(role).get(_url("offer", park, park.offer.pk)).content.decode()
        assert "Brasserie des Collines" in page and "NOTECHECKOUT" in page, role
    feed = Calendar.from_ical(park.client("borrower").get(
        _url("company_ics", park, "brasserie")).content)
    [summary] = [str(e["summary"]) for e in feed.walk("VEVENT")]
    assert "Chariot élévateur 2,5 t" in summary and "Logivire Entrepôts" in summary


def test_the_lender_answers_hands_over_takes_back(park: Park) -> None:
    booking = park.book(tomorrow())
    lender, borrower = park.client("lender"), park.client("borrower")
    # Only the lender's side answers; only the borrower's side cancels.
    assert borrower.post(_url("answer", park, booking.pk), {"answer": "accept"}).status_code == 404
    assert lender.post(_url("cancel", park, booking.pk)).status_code == 404
    lender.post(_url("answer", park, booking.pk), {"answer": "accept", "note": "OK"})
    assert Booking.objects.get().status == "accepted"
    empty = lender.post(_url("check_out", park, booking.pk), {"note": ""})
    assert empty.status_code == 400 and "id_note-errors" in empty.content.decode()
    lender.post(_url("check_out", park, booking.pk), {"note": "Batterie pleine"})
    lender.post(_url("return", park, booking.pk), {"note": "Rendu avec une rayure"})
    done = Booking.objects.get()
    assert (done.status, done.checkout_note, done.return_note) == (
        "returned", "Batterie pleine", "Rendu avec une rayure")
    for role in ("facilitator", "borrower"):
        board = park.client(role).get(reverse("synergies:board", args=["vallee"]))
        body = board.content.decode()
        assert "Chariot élévateur 2,5 t" in body
        assert "Lent 1 time through Symbiose" in body or "Prêté 1 fois" in body


def test_borrower_cancels(park: Park) -> None:
    booking = park.book(tomorrow())
    park.client("borrower").post(_url("cancel", park, booking.pk))
    assert Booking.objects.get().status == "cancelled"


def test_dashboard_shows_the_lending(park: Park) -> None:
    booking = park.book(tomorrow(), days=2)
    services.booking_answer(booking=booking, accept=True, by=None)
    page = park.client("facilitator").get(reverse("dashboard:home", args=["vallee"]))
    body = page.content.decode()
    assert 'id="lending-panel"' in body
    figures = page.context["panels"][0][1]["figures"]
    assert (figures.offered, figures.bookings, figures.days, figures.companies) == (1, 1, 2, 2)
    # An observer reads it only over three companies or more: here two.
    observer = park.client("observer").get(reverse("dashboard:home", args=["vallee"]))
    assert 'id="lending-panel"' not in observer.content.decode()
