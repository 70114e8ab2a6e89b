"""What French spreadsheet software writes is read, and what was detected is said."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from symbiose.core.bundle import ActorRecord, ResourceRecord, read_bundle
from symbiose.core.bundle.dialects import detect_delimiter
from tests.core.bundle.build import ACTORS, folder, text

FRENCH_ACTORS = """identifiant;raison sociale;code APE;type;latitude;longitude;ville;ZAE;effectif
a1;Fonderie Hélène;24.53Z;entreprise;47,18;3,02;La Charité;ZI;110
a2;Ferme de l'Étang;01.50Z;exploitation agricole;47,21;3,03;Narcy;;4
"""
FRENCH_RESOURCES = """acteur;sens;libellé;catégorie;code déchet;quantité;unité;période;coût annuel
a1;sortant;Sables de fonderie usagés;matière;10 10 08;1 100,5;tonnes;an;44 000
a2;entrée;Chaleur pour le digesteur;énergie;;650,25;MWh;mensuel;\u00a012\u00a0000,50
"""


def read(path: Path) -> tuple[list[str], list[ActorRecord], list[ResourceRecord]]:
    with read_bundle(path, default_year=2026) as reader:
        result = reader.check()
        assert result.ok, [text(p) for p in result.problems]
        notices = [text(n) for n in result.notices]
        return notices, list(reader.actors()), list(reader.resources())


def test_windows_1252_semicolon_and_decimal_comma(tmp_path: Path) -> None:
    bundle = folder(tmp_path, encoding="cp1252", actors=FRENCH_ACTORS,
                    ressources=FRENCH_RESOURCES)
    notices, actors, resources = read(bundle)
    assert "read as Windows-1252, separator “;”, decimal comma" in notices
    assert actors[0].name == "Fonderie Hélène"
    assert (actors[0].lat, actors[0].lon, actors[1].kind) == (Decimal("47.18"),
                                                              Decimal("3.02"), "farm")
    sand, heat = resources
    assert (sand.direction, sand.kind, sand.ewc, sand.quantity, sand.unit, sand.period,
            sand.cost_eur) == ("out", "material", "101008", Decimal("1100.5"), "t", "year",
                               Decimal("44000"))
    assert (heat.direction, heat.period, heat.quantity, heat.cost_eur) == (
        "in", "month", Decimal("650.25"), Decimal("12000.50"))


def test_utf8_with_bom(tmp_path: Path) -> None:
    bundle = folder(tmp_path, actors="\ufeff" + ACTORS)
    notices, actors, _ = read(bundle)
    assert "read as UTF-8 (BOM), separator “,”, decimal point" in notices
    assert [a.id for a in actors] == ["a1", "a2"]
    assert actors[0].commune == "La Charité"


def test_utf16_tab_separated_as_excel_unicode_text(tmp_path: Path) -> None:
    content = ACTORS.replace(",", "\t").replace("\n", "\r\n")
    bundle = folder(tmp_path, **{"actors.txt": ("\ufeff" + content).encode("utf-16-le")})
    notices, actors, _ = read(bundle)
    assert "read as UTF-16, separator tab, decimal point" in notices
    assert [a.commune for a in actors] == ["La Charité", "Narcy"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_its_bom(tmp_path: Path, codec: str) -> None:
    bundle = folder(tmp_path, **{"actors.csv": FRENCH_ACTORS.encode(codec)})
    notices, actors, _ = read(bundle)
    assert any(n.startswith("read as UTF-16") for n in notices), notices
    assert actors[0].name == "Fonderie Hélène"


def test_windows_1252_with_a_few_accents_is_not_taken_for_utf16() -> None:
    from symbiose.core.bundle.dialects import detect_encoding

    assert detect_encoding(FRENCH_ACTORS.encode("cp1252"))[1] == "Windows-1252"
    assert detect_encoding(b"id,name\na1,x\n")[1] == "UTF-8"


def test_pipe_separated(tmp_path: Path) -> None:
    notices, actors, _ = read(folder(tmp_path, actors=ACTORS.replace(",", "|")))
    assert "read as UTF-8, separator “|”, decimal point" in notices
    assert actors[1].employees == 4


def test_integers_only_says_no_decimal_mark(tmp_path: Path) -> None:
    notices, _, _ = read(folder(tmp_path, actors="id;name;employees\na1;Fonderie;3\n"))
    assert "read as UTF-8, separator “;”" in notices


def test_ambiguous_thousands_in_a_decimal_point_file_is_refused(tmp_path: Path) -> None:
    resources = ("actor_id,direction,label,quantity\n"
                 "a1,out,Palettes,12.5\na1,out,Cartons,\"1,200\"\n")
    with read_bundle(folder(tmp_path, actors=ACTORS, resources=resources),
                     default_year=2026) as reader:
        (problem,) = reader.check().problems
    assert (problem.row, problem.column, problem.value) == (3, "quantity", "1,200")
    assert "ambiguous" in text(problem) and "1200 or 1.200" in text(problem)


def test_delimiter_detection_falls_back_to_the_header() -> None:
    assert detect_delimiter("id;name\n") == ";"
    assert detect_delimiter("id\na1\n") == ","
    assert detect_delimiter('id,name,label\na1,"x;y;z",w\n') == ","
