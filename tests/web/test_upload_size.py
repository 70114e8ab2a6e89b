"""A request announcing a body larger than an upload may weigh is refused before it is
read: the API's bundle endpoint once took a 200 MB zip and parsed it for 49 s."""

from __future__ import annotations

import pytest
from django.test import Client

from symbiose.web.transfer.models import BundleUpload
from tests.web.accounts.seed import Seeded, seed_marked

pytestmark = pytest.mark.django_db
TWO_HUNDRED_MB = str(200 * 2**20)


@pytest.fixture
def seeded() -> Seeded:
    return seed_marked()


def test_the_api_refuses_a_200_mb_bundle_unread(seeded: Seeded) -> None:
    client = Client(headers={"Authorization": f"Bearer {seeded.tokens['facilitator']}"})
    response = client.post(f"/api/territories/{seeded.t1.slug}/bundle", data=b"PK\x03\x04",
                           content_type="application/zip", CONTENT_LENGTH=TWO_HUNDRED_MB)
    assert response.status_code == 413
    assert "200" in response.json()["detail"] and "50" in response.json()["detail"]


def test_the_import_page_refuses_it_in_words(seeded: Seeded) -> None:
    client = Client()
    client.force_login(seeded.users["facilitator"])
    response = client.post(f"/t/{seeded.t1.slug}/transfer/", data=b"--x--",
                           content_type="multipart/form-data; boundary=x",
                           CONTENT_LENGTH=TWO_HUNDRED_MB)
    assert response.status_code == 413
    page = response.content.decode()
    assert "Fichier trop volumineux" in page and "50,0\xa0Mio" in page
    assert f"/t/{seeded.t1.slug}/transfer/" in page  # back to the import page
    assert not BundleUpload.objects.exists()


def test_a_body_within_the_limit_goes_through(seeded: Seeded) -> None:
    client = Client(headers={"Authorization": f"Bearer {seeded.tokens['facilitator']}"})
    response = client.post(f"/api/territories/{seeded.t1.slug}/bundle", data=b"not a form",
                           content_type="application/zip")
    assert response.status_code != 413
