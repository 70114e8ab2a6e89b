"""One entry point for a report file, whatever asks for it (the page, the command line)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils import translation

from symbiose.web.audit.models import AuditEvent
from symbiose.web.audit.services import audit_record
from symbiose.web.ledger.report.content import report_build
from symbiose.web.ledger.report.pdf import report_pdf
from symbiose.web.ledger.report.spreadsheet import report_workbook
from symbiose.web.territory.models import Territory

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def report_file(*, territory: Territory, year: int, fmt: str, by: AbstractBaseUser | None,
                language: str = "fr") -> bytes:
    """The report of `year` as `fmt` ("pdf", "xlsx", "ods"), in `language` (French by
    default: the funders' language); its making is audited as an export."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    with translation.override(language):
        report = report_build(territory=territory, year=year, by=by, language=language)
        data = report_pdf(report) if fmt == "pdf" else report_workbook(report, fmt)
    audit_record(by=by, territory=territory, action=AuditEvent.Action.EXPORT,
                 detail=f"report {year} ({fmt})")
    return data
