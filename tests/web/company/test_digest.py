"""The weekly digest: due once a week, what is new near the member, never more than its
pages show (no private line, anonymous lines unnamed), sent by the command."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from symbiose.cli import main
from symbiose.web.company.digest import digests_send
from symbiose.web.company.models import DigestChoice
from symbiose.web.company.services import digest_choose
from symbiose.web.synergies.models import Proposal, ProposalActor
from symbiose.web.territory.models import Actor, Resource
from tests.web.accounts.seed import Seeded, seed_marked

pytestmark = pytest.mark.django_db
BASE = "https://symbiose.example.org"


@pytest.fixture
def seeded(settings: Any) -> Seeded:
    settings.LANGUAGE_CODE = "en"  # the digest's language: its headings are read below
    seeded = seed_marked()
    member = seeded.users["member"]
    member.email = "alpha@example.org"
    member.save()
    # What the seed wrote is old news: the digest speaks of what comes after the choice.
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Resource.objects.update(created_at=long_ago)
    Proposal.objects.update(created_at=long_ago)
    digest_choose(user=member, weekly=True)
    DigestChoice.objects.update(changed_at=long_ago)
    return seeded


def _line(actor: Actor, label: str, confidentiality: str) -> Resource:
    return Resource.objects.create(actor=actor, external_id=label[:20], year=2026,
                                   direction="out", label=label, kind="material",
                                   quantity=Decimal(5), unit="t",
                                   confidentiality=confidentiality)


def test_a_digest_names_public_lines_near_describes_anonymous_ones_and_hides_private(
        seeded: Seeded) -> None:
    a = seeded.actors
    _line(a["bravo"], "Sciure de hêtre DIGESTPUB", "public")
    _line(a["charlie"], "Boues DIGESTANON", "anonymous")
    _line(a["delta"], "Secret DIGESTPRIV", "private")
    _line(seeded.actors["echo"], "Other territory DIGESTFAR", "public")
    far = Actor.objects.create(territory=seeded.t1, external_id="far", name="Actor far",
                               latitude=Decimal("43.0"), longitude=Decimal("5.0"))
    _line(far, "Far away DIGESTFAR", "public")
    fresh = Proposal.objects.create(territory=seeded.t1, type="substitution",
                                    supplier=a["bravo"], receiver=a["alpha"],
                                    resource="DIGESTPROPOSAL sawdust")
    ProposalActor.objects.create(proposal=fresh, actor=a["bravo"], position=0)
    ProposalActor.objects.create(proposal=fresh, actor=a["alpha"], position=1)
    sent, _ = digests_send(now=timezone.now(), base_url=BASE)
    assert sent == 1
    (email,) = mail.outbox
    assert email.to == ["alpha@example.org"]
    body = email.body
    assert "Actor bravo" in body and "DIGESTPUB" in body
    assert "DIGESTANON" in body and "Actor charlie" not in body.split("DIGESTANON")[0][-80:]
    assert "DIGESTPRIV" not in body and "DIGESTFAR" not in body
    # The new proposal is listed as its page shows it to alpha: bravo keeps private lines,
    # so neither bravo nor the resource is named there.
    proposals = body.split("New proposals concerning you:")[1].split("\n\n")[0]
    assert proposals.count("\n- ") == 1 and "Actor alpha" in proposals
    assert "DIGESTPROPOSAL" not in proposals and "Actor bravo" not in proposals
    assert f"{BASE}/home/" in body
    assert not any(marker in body for marker in seeded.markers_except({"alpha"}))


def test_a_digest_goes_out_once_a_week_and_only_to_those_who_chose_it(
        seeded: Seeded) -> None:
    _line(seeded.actors["bravo"], "Palettes DIGESTPUB", "public")
    now = timezone.now()
    assert digests_send(now=now, base_url=BASE) == (1, 0)
    assert digests_send(now=now + datetime.timedelta(days=3), base_url=BASE) == (0, 0)
    # A week later, nothing new: not sent, but its clock moves on.
    assert digests_send(now=now + datetime.timedelta(days=7), base_url=BASE) == (0, 1)
    assert len(mail.outbox) == 1
    digest_choose(user=seeded.users["member"], weekly=False)
    _line(seeded.actors["bravo"], "Copeaux DIGESTPUB2", "public")
    assert digests_send(now=now + datetime.timedelta(days=30), base_url=BASE) == (0, 0)


def test_the_command_sends_the_digests_that_are_due(seeded: Seeded,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _line(seeded.actors["bravo"], "Palettes DIGESTPUB", "public")
    assert main(["digest", "send", "--base-url", BASE + "/"]) == 0
    assert len(mail.outbox) == 1 and f"{BASE}/home/" in mail.outbox[0].body
    assert "1" in capsys.readouterr().out
