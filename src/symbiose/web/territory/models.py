"""Territories, their actors and the actors' flow balances (resources by year)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from symbiose.core.bundle.validate import AMOUNT_MAX
from symbiose.core.errors import UnknownCodeError, UnknownUnitError
from symbiose.core.nomenclature.ewc import ewc_lookup
from symbiose.core.nomenclature.naf import naf_lookup
from symbiose.core.nomenclature.units import unit_normalize


def _unknown(error: UnknownCodeError | UnknownUnitError) -> str:
    if error.suggestions:
        return gettext("Unknown code “%(value)s”; did you mean %(suggestions)s?") % {
            "value": error.value, "suggestions": ", ".join(error.suggestions)}
    return gettext("Unknown code “%(value)s”.") % {"value": error.value}


class Territory(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("territory")
        verbose_name_plural = _("territories")

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="communes")
    name = models.CharField(_("name"), max_length=200)
    insee_code = models.CharField(_("INSEE code"), max_length=5, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="commune_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Zone(models.Model):
    """An activity zone or business park (ZAE) of the territory."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity zone")
        verbose_name_plural = _("activity zones")
        constraints = [
            models.UniqueConstraint(fields=["territory", "name"], name="zone_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Actor(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        FARM = "farm", _("Farm")
        PUBLIC = "public", _("Public body")
        HEALTH = "health", _("Health and social care")
        ASSOCIATION = "association", _("Association")
        INSERTION = "insertion", _("Work-integration structure")
        OTHER = "other", _("Other")

    class Engagement(models.TextChoices):
        CONTACTED = "contacted", _("Contacted")
        ENGAGED = "engaged", _("Engaged")
        CORE_GROUP = "core_group", _("Core group")
        AMBASSADOR = "ambassador", _("Ambassador")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="actors")
    external_id = models.CharField(
        _("identifier"), max_length=100, help_text=_("The actor's id in imported bundles.")
    )
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, blank=True)
    naf_code = models.CharField(_("NAF code"), max_length=10, blank=True)
    siret = models.CharField(_("SIRET"), max_length=14, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="actors",
        verbose_name=_("commune"),
    )
    zone = models.ForeignKey(
        Zone, on_delete=models.SET_NULL, null=True, blank=True, related_name="actors",
        verbose_name=_("activity zone"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    engagement = models.CharField(
        _("engagement"), max_length=20, choices=Engagement, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "external_id"], name="actor_unique_external_id"
            ),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="actor_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="actor_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Store the NAF code normalised, whatever spelling was typed in the admin."""
        if self.naf_code:
            try:
                self.naf_code = naf_lookup(self.naf_code).code
            except UnknownCodeError as error:
                raise ValidationError({"naf_code": _unknown(error)}) from error


class Resource(models.Model):
    """One thing an actor offers (`out`) or needs (`in`), for one year.

    An actor's flow balance for a year is the set of its resources of that year; the
    balances of earlier years stay as history.
    """

    class Direction(models.TextChoices):
        OUT = "out", _("Output (offered)")
        IN = "in", _("Input (needed)")

    class Kind(models.TextChoices):
        MATERIAL = "material", _("Material")
        ENERGY = "energy", _("Energy")
        WATER = "water", _("Water")
        EQUIPMENT = "equipment", _("Equipment")
        SERVICE = "service", _("Service")
        SKILL = "skill", _("Skill")
        LOGISTICS = "logistics", _("Logistics")
        SPACE = "space", _("Space")

    class Period(models.TextChoices):
        YEAR = "year", _("per year")
        MONTH = "month", _("per month")
        WEEK = "week", _("per week")
        DAY = "day", _("per day")

    class Confidentiality(models.TextChoices):
        PRIVATE = "private", _("Private")
        ANONYMOUS = "anonymous", _("Anonymous")
        PUBLIC = "public", _("Public")

    # No index of its own, nor one on (actor, year): the unique (actor, year, external_id)
    # serves both, and each index less is one write less per line of a bulk import.
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="resources",
                              db_index=False)
    external_id = models.CharField(_("identifier"), max_length=120)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, blank=True)
    label = models.CharField(_("label"), max_length=500)
    resource_class = models.CharField(_("resource class"), max_length=100, blank=True)
    ewc_code = models.CharField(_("EWC code"), max_length=12, blank=True)
    quantity = models.DecimalField(
        _("quantity"), max_digits=24, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(AMOUNT_MAX)],
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    period = models.CharField(
        _("period"), max_length=5, choices=Period, default=Period.YEAR
    )
    cost_eur = models.DecimalField(
        _("annual cost (€)"), max_digits=16, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(AMOUNT_MAX)],
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=10, choices=Confidentiality,
        default=Confidentiality.PRIVATE,
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["actor", "-year", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "year", "external_id"], name="resource_unique_external_id"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__isnull=True) | models.Q(quantity__gte=0),
                name="resource_quantity_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_eur__isnull=True) | models.Q(cost_eur__gte=0),
                name="resource_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        """Store the EWC code and the unit normalised, refusing unknown ones."""
        errors: dict[str, str] = {}
        if self.ewc_code:
            try:
                self.ewc_code = ewc_lookup(self.ewc_code).code
            except UnknownCodeError as error:
                errors["ewc_code"] = _unknown(error)
        if self.unit:
            try:
                self.unit = unit_normalize(self.unit)
            except UnknownUnitError as error:
                errors["unit"] = _unknown(error)
        if errors:
            raise ValidationError(errors)

    @property
    def ewc_display(self) -> str:
        return ewc_lookup(self.ewc_code).display if self.ewc_code else ""


class DiscardedLikelyFlow(models.Model):
    """A likely flow of the actor's activity that its facilitator set aside for a year, so
    the balance entry stops proposing it."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    direction = models.CharField(_("direction"), max_length=3, choices=Resource.Direction)
    class_id = models.CharField(_("resource class"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("discarded likely flow")
        verbose_name_plural = _("discarded likely flows")
        constraints = [
            models.UniqueConstraint(fields=["actor", "year", "direction", "class_id"],
                                    name="discarded_likely_flow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.year} {self.direction} {self.class_id}"


# The fields of an actor's and of a line's data, which forms, bundles and the API change:
# one list per model, each writer taking the part it may change.
ACTOR_DATA_FIELDS = ("name", "kind", "naf_code", "siret", "address", "commune", "zone",
                     "latitude", "longitude", "employees", "engagement")
RESOURCE_DATA_FIELDS = ("direction", "kind", "label", "resource_class", "ewc_code",
                        "quantity", "unit", "period", "cost_eur", "confidentiality", "notes")
