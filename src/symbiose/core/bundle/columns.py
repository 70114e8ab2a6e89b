"""The columns of each bundle table, their order, and the headers accepted for them.

One `TableSpec` per table says which fields exist (the spec's first, in the spec's order,
then the platform's own), which are required, which hold numbers, and what headers a
facilitator may have written for each ("Raison sociale" for `name`, "Code APE" for `naf`).
The writer uses the same order, so what is exported reads back column for column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from symbiose.core.bundle.values import fold


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    numeric: tuple[str, ...]
    aliases: Mapping[str, tuple[str, ...]]
    file_names: tuple[str, ...]

    def accepted(self, name: str) -> tuple[str, ...]:
        """The headers accepted for a field, as shown in a message."""
        return (name, *self.aliases.get(name, ()))

    def lookup(self) -> dict[str, str]:
        """Folded header -> field."""
        table: dict[str, str] = {}
        for name in self.fields:
            for header in self.accepted(name):
                table.setdefault(fold(header), name)
        return table


ACTORS = TableSpec(
    name="actors",
    fields=("id", "name", "naf", "kind", "lat", "lon", "commune", "zone", "employees",
            "siret", "address", "engagement"),
    required=("id", "name"),
    numeric=("lat", "lon", "employees"),
    aliases={
        "id": ("identifiant", "identifier", "id acteur", "actor_id", "code acteur"),
        "name": ("nom", "raison sociale", "dénomination", "nom de l'entreprise", "entreprise",
                 "structure", "organisation"),
        "naf": ("code naf", "code ape", "ape", "naf ape", "code naf ape", "nace", "code nace"),
        "kind": ("type", "nature", "type d'acteur", "catégorie"),
        "lat": ("latitude",),
        "lon": ("longitude", "lng", "long"),
        "commune": ("ville", "city", "town", "municipality", "code insee", "localité"),
        "zone": ("zae", "zone d'activité", "zone d'activités", "parc d'activités",
                 "zone industrielle", "business park"),
        "employees": ("effectif", "effectifs", "salariés", "nombre de salariés",
                      "headcount", "emplois"),
        "siret": ("numéro siret", "n° siret"),
        "address": ("adresse", "adresse postale"),
        "engagement": ("statut", "status", "niveau d'engagement"),
    },
    file_names=("actors", "acteurs"),
)

RESOURCES = TableSpec(
    name="resources",
    fields=("actor_id", "direction", "label", "kind", "ewc", "quantity", "unit", "period",
            "cost_eur", "confidentiality", "id", "year", "resource_class", "notes"),
    required=("actor_id", "direction", "label"),
    numeric=("quantity", "cost_eur"),
    aliases={
        "actor_id": ("acteur", "id acteur", "identifiant acteur", "actor", "code acteur"),
        "direction": ("sens", "flux", "entrée/sortie", "entrant/sortant"),
        "label": ("libellé", "désignation", "intitulé", "ressource", "resource",
                  "description"),
        "kind": ("type", "catégorie", "category", "nature", "type de ressource"),
        "ewc": ("code déchet", "code ced", "ced", "code ewc", "lod", "code lod",
                "code nomenclature déchet", "code eural"),
        "quantity": ("quantité", "qté", "qty", "quantité annuelle"),
        "unit": ("unité",),
        "period": ("période", "périodicité", "fréquence"),
        "cost_eur": ("coût", "coût annuel", "cost", "coût eur", "coût annuel eur",
                     "coût €", "annual cost"),
        "confidentiality": ("confidentialité", "visibilité"),
        "id": ("identifiant", "id ressource", "resource_id", "identifiant ressource"),
        "year": ("année", "millésime"),
        "resource_class": ("classe", "class", "classe de ressource"),
        "notes": ("note", "commentaire", "commentaires", "remarques", "comment",
                  "comments", "observations"),
    },
    file_names=("resources", "ressources"),
)

SYNERGIES = TableSpec(
    name="synergies",
    fields=("type", "supplier_id", "receiver_id", "actor_ids", "resource", "score",
            "distance_km", "quantity", "unit", "co2e_avoided_t", "eur_saved", "explanation"),
    required=("type", "resource"),
    numeric=("score", "distance_km", "quantity", "co2e_avoided_t", "eur_saved"),
    aliases={
        "type": ("type de synergie", "synergy type"),
        "supplier_id": ("fournisseur", "id fournisseur", "supplier", "offreur"),
        "receiver_id": ("receveur", "id receveur", "receiver", "bénéficiaire", "preneur"),
        "actor_ids": ("acteurs", "actors", "ids acteurs", "id acteurs"),
        "resource": ("ressource", "libellé", "label"),
        "score": ("note",),
        "distance_km": ("distance", "distance km"),
        "quantity": ("quantité", "qté"),
        "unit": ("unité",),
        "co2e_avoided_t": ("co2e évité", "co2e évité t", "co2 évité", "tonnes co2e évitées"),
        "eur_saved": ("euros économisés", "économies", "économie eur", "gain"),
        "explanation": ("explication", "pourquoi"),
    },
    file_names=("synergies",),
)

TABLES = (ACTORS, RESOURCES, SYNERGIES)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Where each field sits in a table's header row, and what the header said."""

    index: dict[str, int]
    headers: dict[str, str]
    unknown: tuple[str, ...] = ()
    repeated: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = field(default=())
    by_position: dict[int, str] = field(default_factory=dict)
    width: int = 0  # the header's cells up to its last non-blank one


def map_columns(spec: TableSpec, header: Sequence[str]) -> ColumnMap:
    """Match a header row to fields; the first column naming a field wins."""
    lookup = spec.lookup()
    index: dict[str, int] = {}
    headers: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[tuple[str, str]] = []
    for position, text in enumerate(header):
        written = text.strip()
        if not written:
            continue
        name = lookup.get(fold(written))
        if name is None:
            unknown.append(written)
        elif name in index:
            repeated.append((written, headers[name]))
        else:
            index[name] = position
            headers[name] = written
    missing = tuple(name for name in spec.required if name not in index)
    by_position = {position: name for name, position in index.items()}
    width = next((n for n in range(len(header), 0, -1) if header[n - 1].strip()), 0)
    return ColumnMap(index, headers, tuple(unknown), tuple(repeated), missing, by_position,
                     width)


def table_for_name(stem: str) -> TableSpec | None:
    """The table a file or sheet name designates ("Acteurs" -> actors), if any."""
    key = fold(stem)
    for spec in TABLES:
        if key in {fold(name) for name in spec.file_names}:
            return spec
    return None
