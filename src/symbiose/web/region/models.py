"""A region groups territories; its own readers; the practice sheets of its library; the
proposals that cross from one of its territories to another."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.jobs.models import JobState
from symbiose.web.synergies.models import Proposal
from symbiose.web.territory.models import Actor, Territory


class Region(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class RegionTerritory(models.Model):
    """A territory in a region. A territory reports to one region only: its figures must
    not be counted twice in a network of regions, so the link is unique per territory."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="links",
                               verbose_name=_("region"))
    territory = models.OneToOneField(Territory, on_delete=models.CASCADE,
                                     related_name="region_link", verbose_name=_("territory"))
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("territory of a region")
        verbose_name_plural = _("territories of a region")

    def __str__(self) -> str:
        return f"{self.region} · {self.territory}"


class RegionRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Regional facilitator")
    OBSERVER = "observer", _("Regional observer")


class RegionMembership(models.Model):
    """A user's role on a region. It gives no role on the region's territories: a
    regional reader sees aggregates, the library and cross-territory proposals."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="region_memberships", verbose_name=_("user"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships",
                               verbose_name=_("region"))
    role = models.CharField(_("role"), max_length=20, choices=RegionRole)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("regional membership")
        verbose_name_plural = _("regional memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="region_membership_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region} · {self.get_role_display()}"


class PracticeSheet(models.Model):
    """The one-page account of an operational synergy, published to its region's
    library. Companies are named on it only when they agreed (`named_actors`)."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE,
                                    related_name="practice_sheet",
                                    verbose_name=_("synergy"))
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="sheets",
                               verbose_name=_("region"))
    title = models.CharField(_("title"), max_length=160)
    exchanged = models.TextField(_("what is exchanged"), max_length=1200)
    method = models.TextField(_("how it works"), max_length=1200, blank=True)
    figures_note = models.TextField(_("about the figures"), max_length=600, blank=True)
    obstacles = models.TextField(_("obstacles met"), max_length=1200, blank=True)
    contacts = models.TextField(
        _("contacts"), max_length=600, blank=True,
        help_text=_("Printed only when every company of the synergy agreed to be named."))
    named_actors = models.ManyToManyField(
        Actor, blank=True, related_name="+", verbose_name=_("companies that agreed to be named"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("published by"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("practice sheet")
        verbose_name_plural = _("practice sheets")

    def __str__(self) -> str:
        return self.title


class CrossProposal(models.Model):
    """An output nobody takes in its own territory, matched to a need of another
    territory of the region. Each side is named to the other only once it agreed."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="crossings",
                               verbose_name=_("region"))
    supplier = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("supplier"))
    receiver = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("receiver"))
    resource = models.CharField(_("resource"), max_length=500)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=6, null=True)
    distance_km = models.DecimalField(_("distance (km)"), max_digits=10, decimal_places=3,
                                      null=True)
    quantity = models.DecimalField(_("quantity"), max_digits=24, decimal_places=6, null=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    co2e_avoided_t = models.DecimalField(_("CO2e avoided (t/year)"), max_digits=16,
                                         decimal_places=6, null=True)
    explanation = models.TextField(_("explanation"), blank=True)
    supplier_agreed_at = models.DateTimeField(_("supplier agreed to be named"), null=True,
                                              blank=True)
    receiver_agreed_at = models.DateTimeField(_("receiver agreed to be named"), null=True,
                                              blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("cross-territory proposal")
        verbose_name_plural = _("cross-territory proposals")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "receiver", "resource"],
                                    name="cross_proposal_once"),
        ]

    def __str__(self) -> str:
        return self.resource


class CrossingRun(JobState):
    """One search for cross-territory proposals over a region, run as a job and followed
    from the page; one at a time per region."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="crossing_runs",
                               verbose_name=_("region"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    found = models.PositiveIntegerField(_("proposals found"), default=0)
    created = models.PositiveIntegerField(_("proposals created"), default=0)
    removed = models.PositiveIntegerField(_("proposals removed"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("search for cross-territory proposals")
        verbose_name_plural = _("searches for cross-territory proposals")

    def __str__(self) -> str:
        return f"{self.region} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"
