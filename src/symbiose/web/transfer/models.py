"""A bundle uploaded from the import page, kept until it is confirmed or a day old."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.jobs.models import JobState
from symbiose.web.territory.models import Territory


class BundleUpload(JobState):
    """One upload, its preview, and its import. The files live in a folder of the data
    directory (see `storage`), the preview's findings here, so the preview page can be
    shown again without reading the files, and confirming imports exactly what was
    previewed.

    The upload is a job twice over, run beside the request that started it: first its
    check (status active, `confirmed_at` empty), then, once confirmed, its import
    (`confirmed_at` set; `imported_at` set when written).

    The primary key is a random UUID: it appears in the page's address and must not be
    guessable from another upload's.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                    related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    file_names = models.CharField(_("files"), max_length=500)
    bundle_name = models.CharField(_("bundle path"), max_length=255,
                                   help_text=_("Inside the upload's folder."))
    year = models.PositiveSmallIntegerField(_("year"))
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    preview = models.JSONField(_("preview"), default=dict)
    result = models.JSONField(_("result"), default=dict, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)

    class Meta:
        verbose_name = _("bundle upload")
        verbose_name_plural = _("bundle uploads")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return self.file_names

    @property
    def imported(self) -> bool:
        return self.imported_at is not None

    @property
    def checking(self) -> bool:
        return self.active and self.confirmed_at is None

    @property
    def importing(self) -> bool:
        return self.active and self.confirmed_at is not None

    @property
    def previewed(self) -> bool:
        """Checked, its preview to be read (and confirmed when it has no problem)."""
        return self.status == self.Status.DONE and not self.imported
