"""The upload form: one .xlsx, .ods or .zip bundle, or several CSV files, and the default year.

Everything a facilitator may get wrong about the files themselves (type, emptiness, size,
two files for one table) is said here, beside the field, before anything is stored; what
is wrong inside the files is the preview's business.
"""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ARCHIVE_SUFFIXES = (".xlsx", ".ods", ".zip")
CSV_SUFFIX = ".csv"
FIRST_YEAR, LAST_YEAR = 1990, 2100


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": ".xlsx,.ods,.zip,.csv", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        return [single(data or None, initial)]


def _safe_name(uploaded: UploadedFile) -> str:
    """The file's own name without any folder part, safe on disk."""
    return get_valid_filename(PurePath(uploaded.name or "bundle").name) or "bundle"


class BundleUploadForm(forms.Form):
    bundle = MultipleFileField(
        label=_("Bundle file(s)"),
        allow_empty_file=True,  # refused in clean_bundle, with the file's name
        error_messages={"required": _("Choose the file or files to import.")},
    )
    year = forms.IntegerField(
        label=_("Year of the flow balances"),
        help_text=_("Used for the resource rows that have no year column or an empty "
                    "year."),
        min_value=FIRST_YEAR, max_value=LAST_YEAR,
        error_messages={"required": _("Give the year of the flow balances."),
                        "invalid": _("Give a year as four digits, such as 2026.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = datetime.date.today().year
        self.fields["bundle"].help_text = gettext(
            "One Excel workbook (.xlsx) or LibreOffice spreadsheet (.ods), one .zip of CSV "
            "files, or the CSV files themselves "
            "(actors.csv, resources.csv, synergies.csv) selected together; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.SYMBIOSE_UPLOAD_MAX_BYTES)}

    def clean_bundle(self) -> list[tuple[str, UploadedFile]]:
        uploads: list[UploadedFile] = self.cleaned_data["bundle"]
        named = [(_safe_name(uploaded), uploaded) for uploaded in uploads]
        for name, uploaded in named:
            suffix = PurePath(name).suffix.lower()
            if suffix not in (*ARCHIVE_SUFFIXES, CSV_SUFFIX):
                raise forms.ValidationError(
                    gettext("“%(name)s” is not a bundle file: give an Excel workbook "
                            "(.xlsx), a LibreOffice spreadsheet (.ods), a .zip of CSV "
                            "files, or CSV files (.csv).")
                    % {"name": name}, code="type")
            if not uploaded.size:
                raise forms.ValidationError(
                    gettext("“%(name)s” is empty (0 bytes): nothing to import.")
                    % {"name": name}, code="empty")
        total = sum(uploaded.size or 0 for _, uploaded in named)
        limit = settings.SYMBIOSE_UPLOAD_MAX_BYTES
        if total > limit:
            raise forms.ValidationError(
                gettext("The upload weighs %(size)s; the limit is %(limit)s. Split the "
                        "resources over several files, or send a .zip of CSV files.")
                % {"size": filesizeformat(total), "limit": filesizeformat(limit)},
                code="size")
        archives = [name for name, _ in named if PurePath(name).suffix.lower() != CSV_SUFFIX]
        if archives and len(named) > 1:
            raise forms.ValidationError(
                gettext("Give either one .xlsx, .ods or .zip file alone, or CSV files only; "
                        "not %(names)s together.")
                % {"names": ", ".join(name for name, _ in named)}, code="mixed")
        repeated = [name for name, n in Counter(n.lower() for n, _ in named).items() if n > 1]
        if repeated:
            raise forms.ValidationError(
                gettext("“%(name)s” was given twice.") % {"name": repeated[0]},
                code="repeated")
        return named
