"""A facilitator edits in the admin, but only its own territories, and every edit of an
actor's data is in the audit trail."""

from __future__ import annotations

import pytest
from django.test import Client

from symbiose.web.audit.models import AuditEvent
from symbiose.web.territory.models import Resource
from tests.web.accounts.seed import Seeded, seed_marked

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded() -> Seeded:
    return seed_marked()


def test_admin_lists_only_the_facilitated_territory(seeded: Seeded) -> None:
    client = Client()
    client.force_login(seeded.users["facilitator"])
    actors = client.get("/admin/territory/actor/")
    names = {a.external_id for a in actors.context["cl"].result_list}
    assert names == {"alpha", "bravo", "charlie", "delta"}
    echo = seeded.actors["echo"]
    assert client.get(f"/admin/territory/actor/{echo.pk}/change/").status_code == 302
    lines = client.get("/admin/territory/resource/").context["cl"].result_list
    assert {line.actor.territory_id for line in lines} == {seeded.t1.pk}


def test_admin_edit_is_audited(seeded: Seeded) -> None:
    client = Client()
    client.force_login(seeded.users["facilitator"])
    line = Resource.objects.get(external_id="bravo-out-private")
    page = client.get(f"/admin/territory/resource/{line.pk}/change/")
    form = page.context["adminform"].form
    data = {name: (value if value is not None else "")
            for name, value in form.initial.items()}
    data.update(actor=line.actor.pk, quantity="42", period="year")
    response = client.post(f"/admin/territory/resource/{line.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(actor=line.actor, action="change")
    assert event.username == "facilitator"
