"""Files as the import page receives them, and posting them as a facilitator does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from symbiose.core.bundle import ActorRecord, ResourceRecord, write_bundle
from symbiose.web.territory.models import Territory

ACTORS = "id,name,naf,kind,lat,lon\na3,Scierie Test,16.10A,company,47.2,3.1\n"
BAD_RESOURCES = """actor_id,direction,label,kind,ewc,quantity,unit
a3,out,Sciure,material,03 01 05,-5,t
a3,out,Boues,material,99 99 99,3,t
a3,out,Chaleur,energy,,3,bananes
"""


def csv_file(name: str, text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def upload(client: Client, territory: Territory, *files: SimpleUploadedFile,
           year: int = 2026) -> object:
    return client.post(reverse("transfer:import", args=[territory.slug]),
                       {"bundle": list(files), "year": year})


def clean_xlsx(tmp_path: Path) -> SimpleUploadedFile:
    return clean_workbook(tmp_path, ".xlsx")


def clean_workbook(tmp_path: Path, suffix: str) -> SimpleUploadedFile:
    path = tmp_path / f"clean{suffix}"
    write_bundle(
        path,
        actors=[ActorRecord(id="a3", name="Scierie Test", naf="16.10A", kind="company",
                            lat=Decimal("47.2"), lon=Decimal("3.1")),
                ActorRecord(id="a1", name="Fonderie Test renamed", naf="24.53Z",
                            kind="company", lat=Decimal("47.18"), lon=Decimal("3.02"))],
        resources=[ResourceRecord(actor_id="a3", direction="out", label="Sciure de bois",
                                  kind="material", quantity=Decimal(120), unit="t", year=2026,
                                  id="sciure")],
    )
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type={
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".ods": "application/vnd.oasis.opendocument.spreadsheet"}[suffix])
