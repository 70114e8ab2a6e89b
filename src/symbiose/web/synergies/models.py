"""Synergy proposals: what the engine (or a bundle's synergies sheet) proposes."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.territory.models import Actor, Territory


class Proposal(models.Model):
    class Type(models.TextChoices):
        SUBSTITUTION = "substitution", _("Substitution")
        POOLING = "pooling", _("Pooling")
        SHARING = "sharing", _("Sharing")

    class Stage(models.TextChoices):
        """Where a synergy stands in the action programme (DESIGN.md, phase 5)."""

        IDEA = "idea", _("Idea")
        STUDY = "study", _("Study")
        IMPLEMENTATION = "implementation", _("Implementation")
        OPERATIONAL = "operational", _("Operational")
        ABANDONED = "abandoned", _("Abandoned")

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="proposals")
    type = models.CharField(_("type"), max_length=20, choices=Type)
    supplier = models.ForeignKey(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("supplier"),
    )
    receiver = models.ForeignKey(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("receiver"),
    )
    actors = models.ManyToManyField(
        Actor, through="ProposalActor", related_name="proposals", verbose_name=_("actors")
    )
    resource = models.CharField(_("resource"), max_length=500)
    score = models.DecimalField(
        _("score"), max_digits=7, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=24, decimal_places=6, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    co2e_avoided_t = models.DecimalField(
        _("CO2e avoided (t/year)"), max_digits=16, decimal_places=6, null=True, blank=True
    )
    eur_saved = models.DecimalField(
        _("euros saved per year"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    explanation = models.TextField(_("explanation"), blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage, default=Stage.IDEA)
    stage_reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why the synergy was abandoned.")
    )
    stage_changed_at = models.DateTimeField(_("stage changed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("synergy proposal")
        verbose_name_plural = _("synergy proposals")

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.resource}"


class ProposalActor(models.Model):
    """An actor of a proposal, in the order the proposal names them."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="members")
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "actor"], name="proposal_actor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.actor_id}"
