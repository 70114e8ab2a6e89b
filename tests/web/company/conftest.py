"""The company space's tests share the ledger's small park (four companies, two kept
synergies, a member of the sawmill)."""

from tests.web.ledger.conftest import park as park
