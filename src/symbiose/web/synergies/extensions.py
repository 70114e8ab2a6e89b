"""What feature apps add to the synergies' pages without synergies importing them: a
line on a programme board card ("meeting held on …"), a link on a proposal's page
("request a meeting"). Each app registers its callables when Django starts (its
`AppConfig.ready`), as `territory.sections` does for the actor page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from symbiose.web.synergies.visibility import VisibleProposal
from symbiose.web.territory.access import Viewer


@dataclass(frozen=True)
class ProposalLink:
    label: str
    url: str


# (viewer, ids of the cards shown) -> {proposal id: lines to show on its card}; one call
# per board, so that a board of a hundred cards reads each app's notes in one query.
BoardNotes = Callable[[Viewer, Sequence[int]], dict[int, list[str]]]
# (viewer, the proposal as the viewer sees it) -> links for its page.
ProposalLinks = Callable[[Viewer, VisibleProposal], list[ProposalLink]]

_NOTES: list[BoardNotes] = []
_LINKS: list[ProposalLinks] = []


def board_note_register(notes: BoardNotes) -> None:
    if notes not in _NOTES:
        _NOTES.append(notes)


def proposal_link_register(links: ProposalLinks) -> None:
    if links not in _LINKS:
        _LINKS.append(links)


def board_notes(*, viewer: Viewer, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    for notes in _NOTES:
        for pk, lines in notes(viewer, ids).items():
            found.setdefault(pk, []).extend(lines)
    return found


def proposal_links(*, viewer: Viewer, proposal: VisibleProposal) -> list[ProposalLink]:
    return [link for links in _LINKS for link in links(viewer, proposal)]
