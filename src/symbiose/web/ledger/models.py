"""The impact ledger: each kept synergy's yearly figures, and how sure each one is.

A `LedgerEntry` is one version of one figure (synergy, year, metric): estimated by the
engine, declared by a company, or verified by someone on some evidence. Nothing is ever
updated in place: a correction or a verification adds a version, the latest counts, and
the earlier ones stay as the figure's history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.jobs.models import JobState
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Territory


class Metric(models.TextChoices):
    TONNES = "tonnes", _("Tonnes exchanged")
    CO2E = "co2e_t", _("CO2e avoided")
    EUR = "eur", _("Euros saved")
    JOBS = "jobs", _("Jobs created or kept")
    WATER = "water_m3", _("Water saved")
    ENERGY = "energy_mwh", _("Energy saved")
    VIRGIN = "virgin_t", _("Virgin material saved")


class Status(models.TextChoices):
    ESTIMATED = "estimated", _("Estimated")
    DECLARED = "declared", _("Declared")
    VERIFIED = "verified", _("Verified")


class LedgerEntry(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    synergy = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                related_name="ledger_entries", verbose_name=_("synergy"))
    year = models.PositiveSmallIntegerField(_("year"))
    metric = models.CharField(_("figure"), max_length=12, choices=Metric)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=12)  # the metric's own unit
    given_value = models.CharField(_("as given"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    declared_by = models.ForeignKey(
        Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("declared by (company)"))
    verifier = models.CharField(_("verified by"), max_length=200, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    sources = models.TextField(_("factors and sources"), blank=True)  # one per line
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("previous version"))

    class Meta:
        ordering = ["year", "synergy_id", "metric", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["territory", "year"], name="ledger_territory_year"),
                   models.Index(fields=["synergy", "year", "metric"], name="ledger_figure")]

    def __str__(self) -> str:
        return f"{self.synergy_id} {self.year} {self.metric}={self.value} ({self.status})"


class ReportConsent(models.Model):
    """An actor agrees that its synergies' own figures and its name appear in reports;
    without it a synergy shows only within totals of at least K_MIN actors."""

    actor = models.OneToOneField(Actor, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("actor"))
    agreed_at = models.DateTimeField(_("agreed"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement to appear in reports")
        verbose_name_plural = _("agreements to appear in reports")

    def __str__(self) -> str:
        return str(self.actor_id)


class IndicatorScore(models.Model):
    """A qualitative indicator (ELIPSE-style) as the facilitator scored it for a year;
    a new score is a new row, the latest counts."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=60)
    score = models.PositiveSmallIntegerField(_("score (0-4)"))
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["year", "indicator", "id"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")

    def __str__(self) -> str:
        return f"{self.year} {self.indicator}={self.score}"


class TerritoryIndicator(models.Model):
    """An indicator a territory adds to the packaged set (same fields as the YAML)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("identifier"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, default="qualitative")
    unit = models.CharField(_("unit"), max_length=30)
    label = models.CharField(_("label"), max_length=200)
    definition = models.TextField(_("definition"))
    filled_by = models.CharField(_("computed how, or filled by whom"), max_length=200)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["territory", "code"],
                                               name="territory_indicator_once")]
        verbose_name = _("territory indicator")
        verbose_name_plural = _("territory indicators")

    def __str__(self) -> str:
        return self.code


class ReportRun(JobState):
    """One build of the funder report asked from the ledger page, run as a job (a large
    territory takes seconds to minutes); its file is kept under the data directory
    (`report.runs.report_folder`) until a newer build of the same format replaces it."""

    class Format(models.TextChoices):
        PDF = "pdf", _("Report (PDF)")
        XLSX = "xlsx", _("Tables (.xlsx)")
        ODS = "ods", _("Tables (.ods)")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    fmt = models.CharField(_("format"), max_length=4, choices=Format)
    language = models.CharField(_("language"), max_length=5, default="fr")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    # The file's name inside the territory's report folder, once written whole.
    file_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")

    def __str__(self) -> str:
        return f"{self.territory} {self.year} {self.fmt} ({self.status})"
