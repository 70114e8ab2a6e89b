"""A new territory's name is checked before anything is done in its name: the import
command takes it from the user's own typing, with no form in between."""

from __future__ import annotations

import pytest

from symbiose.web.territory.models import Territory
from symbiose.web.territory.services import TerritoryNameInvalid, territory_create

pytestmark = pytest.mark.django_db

LIMIT = Territory._meta.get_field("name").max_length or 0


@pytest.mark.parametrize("name", ["", "   ", "x" * (LIMIT + 1), "Vallée\tde l'Orne",
                                  "Vallée\nde l'Orne"])
def test_a_name_the_territory_cannot_carry_is_refused_and_nothing_is_created(name: str) -> None:
    with pytest.raises(TerritoryNameInvalid):
        territory_create(name=name)
    assert not Territory.objects.exists()


def test_a_name_at_the_limit_gets_a_slug_its_column_holds_even_on_a_clash() -> None:
    # "œ" slugifies to "oe": the slug of this name is longer than the name.
    name = "œ" * LIMIT
    first = territory_create(name=name)
    second = territory_create(name=name[:-1] + "e")
    slug_limit = Territory._meta.get_field("slug").max_length or 0
    assert first.slug != second.slug
    assert len(first.slug) <= slug_limit and len(second.slug) <= slug_limit
    first.refresh_from_db()
    assert first.name == name
