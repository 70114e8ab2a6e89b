"""Invitations, deactivation, password reset, log-in rate limiting, CSRF, audit trail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from symbiose.web.accounts import services
from symbiose.web.accounts.models import ApiToken, Membership
from symbiose.web.audit.models import AuditEvent
from tests.web.accounts.seed import PASSWORD, Seeded, seed_marked

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> Seeded:
    return seed_marked()


def _as(seeded: Seeded, role: str) -> Client:
    client = Client()
    client.force_login(seeded.users[role])
    return client


def test_invitation_sets_a_password_once(seeded: Seeded) -> None:
    page = _as(seeded, "facilitator").post("/t/un/members/", {
        "username": "nouvelle", "email": "n@example.org", "role": "member",
        "actors": ["bravo"]})
    html = page.content.decode()
    link = re.search(r"http://testserver(/invitation/[^<\s]+/)", html)
    assert page.status_code == 200 and link, html
    assert len(mail.outbox) == 1 and link.group(1) in mail.outbox[0].body
    invited = User.objects.get(username="nouvelle")
    assert not invited.has_usable_password()

    visitor = Client()
    assert visitor.get(link.group(1)).status_code == 200
    done = visitor.post(link.group(1), {"new_password1": "Une-phrase-longue-7",
                                        "new_password2": "Une-phrase-longue-7"})
    assert done.status_code == 302
    logged = visitor.post("/login/", {"username": "nouvelle",
                                      "password": "Une-phrase-longue-7"})
    assert logged.status_code == 302
    own = visitor.get("/t/un/actors/bravo/").content.decode()
    assert "PRIVMARKBRAVO" in own and "PRIVMARKALPHA" not in visitor.get(
        "/t/un/actors/alpha/").content.decode()
    # The same link, used once, no longer works.
    assert Client().get(link.group(1)).status_code == 400


def test_expired_or_forged_invitations_are_refused(seeded: Seeded,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    user = services.user_create(username="lent", territory=seeded.t1, role="observer")
    token = services.invitation_token(user=user)
    assert Client().get(f"/invitation/{token}x/").status_code == 400
    monkeypatch.setattr(services, "INVITATION_MAX_AGE", -1)
    page = Client().get(f"/invitation/{token}/")
    assert page.status_code == 400 and "expir" in page.content.decode()


def test_only_a_facilitator_invites(seeded: Seeded) -> None:
    for role in ("member", "observer", "facilitator2"):
        assert _as(seeded, role).get("/t/un/members/").status_code == 404


def test_deactivation_ends_log_in_and_tokens(seeded: Seeded) -> None:
    member = Membership.objects.get(user=seeded.users["member"])
    response = _as(seeded, "facilitator").post(f"/t/un/members/{member.pk}/deactivate/")
    assert response.status_code == 302
    user = User.objects.get(pk=seeded.users["member"].pk)
    assert not user.is_active and not ApiToken.objects.filter(user=user).exists()
    assert Client().post("/login/", {"username": "member", "password": PASSWORD}
                         ).status_code == 200  # the form again: refused
    assert AuditEvent.objects.filter(action="access", detail__contains="member").exists()


def test_login_is_rate_limited(seeded: Seeded) -> None:
    client = Client()
    for _ in range(4):
        assert client.post("/login/", {"username": "member", "password": "wrong"}
                           ).status_code == 200
    # The fifth failure locks the account for this address, right password or not.
    assert client.post("/login/", {"username": "member", "password": "wrong"}
                       ).status_code == 429
    locked = client.post("/login/", {"username": "member", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    # Another account from the same address is not locked with it.
    assert client.post("/login/", {"username": "observer", "password": PASSWORD}
                       ).status_code == 302


def test_password_reset_sends_a_working_link(seeded: Seeded) -> None:
    User.objects.filter(username="member").update(email="m@example.org")
    client = Client()
    assert client.post("/password-reset/", {"email": "m@example.org"}).status_code == 302
    link = re.search(r"(/password-reset/[^/\s]+/[^/\s]+/)", mail.outbox[0].body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(form.redirect_chain[-1][0], {
        "new_password1": "Encore-une-phrase-9", "new_password2": "Encore-une-phrase-9"})
    assert done.status_code == 302
    assert client.post("/login/", {"username": "member", "password": "Encore-une-phrase-9"}
                       ).status_code == 302


def test_forms_refuse_a_post_without_csrf_token(seeded: Seeded) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/login/", {"username": "member", "password": PASSWORD}
                       ).status_code == 403
    client.force_login(seeded.users["facilitator"])
    assert client.post("/t/un/members/", {"username": "x", "role": "observer"}
                       ).status_code == 403


def test_reads_of_private_data_from_outside_are_audited(seeded: Seeded) -> None:
    alpha = seeded.actors["alpha"]
    _as(seeded, "member").get("/t/un/actors/alpha/")
    assert not AuditEvent.objects.filter(actor=alpha).exists()  # its own data
    _as(seeded, "facilitator").get("/t/un/actors/alpha/")
    event = AuditEvent.objects.get(actor=alpha, action="read_private")
    assert event.username == "facilitator" and "1" in event.detail
    _as(seeded, "facilitator").get("/t/un/export.xlsx")
    assert AuditEvent.objects.filter(actor=alpha, action="export").exists()
    trail = _as(seeded, "facilitator").get("/t/un/actors/alpha/trail/").content.decode()
    assert "facilitator" in trail and "Lecture de données privées" in trail
    assert _as(seeded, "member").get("/t/un/actors/alpha/trail/").status_code == 404


def test_observer_sees_aggregates_only(seeded: Seeded) -> None:
    client = _as(seeded, "observer")
    overview = client.get("/t/un/")
    assert overview.status_code == 200 and 'id="anonymous"' not in overview.content.decode()
    assert overview.context["overview"].actor_count == 4
    assert "Actor alpha" not in overview.content.decode()
    assert client.get("/t/un/actors/alpha/").status_code == 404
    assert client.get("/t/un/export.xlsx").status_code == 404


def test_member_export_carries_its_own_actor_only(seeded: Seeded, tmp_path: object) -> None:
    import io

    from openpyxl import load_workbook

    response = _as(seeded, "member").get("/t/un/export.xlsx")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)),  # type: ignore[attr-defined]
                         read_only=True)
    actors = [row[0] for row in book["actors"].iter_rows(min_row=2, values_only=True)]
    assert actors == ["alpha"]


def test_member_ods_export_carries_its_own_actor_only(seeded: Seeded, tmp_path: Path) -> None:
    from symbiose.core.bundle import read_bundle

    response = _as(seeded, "member").get("/t/un/export.ods")
    path = tmp_path / "export.ods"
    path.write_bytes(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    with read_bundle(path, default_year=2026) as reader:
        assert [actor.id for actor in reader.actors()] == ["alpha"]
    assert _as(seeded, "observer").get("/t/un/export.ods").status_code == 404


def test_member_edits_its_own_lines_only(seeded: Seeded) -> None:
    from symbiose.web.territory.models import Resource

    own = Resource.objects.get(external_id="alpha-out-private")
    other = Resource.objects.get(external_id="bravo-out-public")
    client = _as(seeded, "member")
    page = client.get("/t/un/actors/alpha/").content.decode()
    assert f"/t/un/lines/{own.pk}/edit/" in page
    assert "/edit/" not in client.get("/t/un/actors/bravo/").content.decode()
    response = client.post(f"/t/un/lines/{own.pk}/edit/", {
        "label": "Laitier <b>gras</b>", "quantity": "12,5", "unit": "t",
        "confidentiality": "private", "notes": ""})
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.quantity == 12.5 and own.label == "Laitier <b>gras</b>"
    assert "Laitier &lt;b&gt;gras&lt;/b&gt;" in client.get("/t/un/actors/alpha/").content.decode()
    assert AuditEvent.objects.filter(actor=own.actor, action="change",
                                     username="member").exists()
    assert client.get(f"/t/un/lines/{other.pk}/edit/").status_code == 404
    assert _as(seeded, "observer").get(f"/t/un/lines/{own.pk}/edit/").status_code == 404
    bad = client.post(f"/t/un/lines/{own.pk}/edit/", {
        "label": "x", "quantity": "1", "unit": "furlongs", "confidentiality": "private"})
    assert bad.status_code == 200 and "furlongs" in bad.content.decode()


def test_observer_sees_no_actor_count_below_three(client: Client) -> None:
    """Even the number of actors is an aggregate: k-anonymity applies to it too."""
    from symbiose.web.accounts.services import membership_set
    from symbiose.web.territory.models import Actor, Territory

    small = Territory.objects.create(name="Petite ZA", slug="petite-za")
    large = Territory.objects.create(name="Grande ZA", slug="grande-za")
    for territory, n in ((small, 2), (large, 4)):
        for i in range(n):
            Actor.objects.create(territory=territory, external_id=f"a{i}", name=f"A{i}")
    observer = User.objects.create_user("financeur-test", password="pw-observer-1")
    facilitator = User.objects.create_user("anim-test", password="pw-anim-1")
    for territory in (small, large):
        membership_set(user=observer, territory=territory, role="observer")
    membership_set(user=facilitator, territory=small, role="facilitator")

    client.force_login(observer)
    html = client.get(reverse("territory:list")).content.decode()
    assert "moins de 3 acteurs" in html and "4 acteurs" in html
    assert "2 acteurs" not in html

    client.force_login(facilitator)
    assert "2 acteurs" in client.get(reverse("territory:list")).content.decode()


def test_password_reset_emails_are_rate_limited(seeded: Seeded) -> None:
    """16 requests for one address sent 16 emails; now 3 an hour, then a refusal that
    reads the same for an unknown address."""
    seeded.users["member"].email = "member@example.org"
    seeded.users["member"].save()
    client = Client()
    answers = [client.post("/password-reset/", {"email": "member@example.org"}).status_code
               for _ in range(16)]
    assert answers[:3] == [302] * 3 and set(answers[3:]) == {429}
    assert len(mail.outbox) == 3
    refused = client.post("/password-reset/", {"email": "member@example.org"})
    assert "Trop de demandes" in refused.content.decode()
    # One connection asking for many addresses is limited too.
    others = [client.post("/password-reset/", {"email": f"x{i}@example.org"}).status_code
              for i in range(10)]
    assert others.count(302) == 10 - 3 and others[-1] == 429
