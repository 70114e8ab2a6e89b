"""Synergy proposals: what the engine (or a bundle's synergies sheet) proposes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from symbiose.web.jobs.models import JobState
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

    class Origin(models.TextChoices):
        ENGINE = "engine", _("Detected by the engine")
        BUNDLE = "bundle", _("Imported")
        MANUAL = "manual", _("Added by hand")
        WORKSHOP = "workshop", _("Chosen in a workshop")

    class Decision(models.TextChoices):
        """The facilitator's reading of a proposal; kept ones enter the programme."""

        PENDING = "pending", _("To review")
        KEPT = "kept", _("Kept")
        DROPPED = "dropped", _("Dropped")
        DUPLICATE = "duplicate", _("Duplicate")

    class DropReason(models.TextChoices):
        NOT_MATURE = "not_mature", _("Not mature")
        NO_ADDED_VALUE = "no_added_value", _("No added value")
        ALREADY_EXISTS = "already_exists", _("Already exists")
        NOT_FEASIBLE = "not_feasible", _("Not feasible (regulation, technique, distance)")
        ACTORS_DECLINE = "actors_decline", _("The actors decline")
        OTHER = "other", _("Other")

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
    origin = models.CharField(_("origin"), max_length=10, choices=Origin, default=Origin.BUNDLE)
    resource_family = models.CharField(
        _("resource family"), max_length=60, blank=True,
        help_text=_("Family of the resource classes vocabulary, for filters and the map."))
    tonnes_per_year = models.DecimalField(
        _("tonnes diverted per year"), max_digits=16, decimal_places=3, null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.PENDING)
    drop_reason = models.CharField(
        _("reason for dropping"), max_length=20, choices=DropReason, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates",
        verbose_name=_("duplicate of"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("decided by"))
    # The action programme of a kept synergy.
    owner = models.CharField(_("owner"), max_length=200, blank=True,
                             help_text=_("Who carries the action."))
    partners = models.CharField(_("partners"), max_length=500, blank=True)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    next_step_date = models.DateField(_("date of the next step"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-score", "id"]
        verbose_name = _("synergy proposal")
        verbose_name_plural = _("synergy proposals")
        indexes = [
            models.Index(fields=["territory", "decision", "stage"], name="proposal_programme"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.resource}"


class StageChange(models.Model):
    """A synergy's move to a stage, dated: where each synergy stood at the end of a past
    year (the funnel a yearly report shows) is read from these, not from today's stage.
    A proposal without any (imported with its stage, or older than this record) stood
    at its stage since `stage_changed_at`, else since it was created."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                 related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=20, choices=Proposal.Stage)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("by"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [models.Index(fields=["proposal", "at"], name="stage_change_proposal_at")]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.stage} {self.at:%Y-%m-%d}"


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


class DetectionRun(JobState):
    """One run of the matching engine over a territory, followed from the page."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE,
                                  related_name="detection_runs")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    radius_km = models.DecimalField(_("radius (km)"), max_digits=7, decimal_places=1,
                                    default=50)
    created = models.PositiveIntegerField(_("proposals created"), default=0)
    updated = models.PositiveIntegerField(_("proposals updated"), default=0)
    removed = models.PositiveIntegerField(_("proposals removed"), default=0)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("detection run")
        verbose_name_plural = _("detection runs")

    def __str__(self) -> str:
        return f"{self.territory} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"


class IntroductionConsent(models.Model):
    """An actor agrees to be named to the other side of one proposal."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("synergy proposal"),
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="+", verbose_name=_("actor")
    )
    agreed_at = models.DateTimeField(_("agreed"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement to be introduced")
        verbose_name_plural = _("agreements to be introduced")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "actor"], name="introduction_once"),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.actor_id}"


# The figures of a proposal that the engine or a bundle gives, and a new detection or a
# new import of the same synergy refreshes.
PROPOSAL_FIGURE_FIELDS = ("score", "distance_km", "quantity", "unit", "co2e_avoided_t",
                          "eur_saved", "explanation")
