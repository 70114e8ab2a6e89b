from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionConfig(AppConfig):
    name = "symbiose.web.region"
    label = "region"
    verbose_name = _("Region")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # An operational synergy's page links to its practice sheet: registered with the
        # synergies app, which does not import this one.
        from symbiose.web.region.hooks import proposal_links
        from symbiose.web.synergies.extensions import proposal_link_register

        proposal_link_register(proposal_links)
        # A company's declaration or consent: its territory's regional figures are read
        # again when it is committed, not by the region's next reader.
        from django.db.models.signals import post_delete, post_save

        from symbiose.web.ledger.models import LedgerEntry, ReportConsent
        from symbiose.web.region.hooks import consent_changed, ledger_entry_changed

        for signal in (post_save, post_delete):
            signal.connect(ledger_entry_changed, sender=LedgerEntry,
                           dispatch_uid=f"region-ledger-{signal is post_save}")
            signal.connect(consent_changed, sender=ReportConsent,
                           dispatch_uid=f"region-consent-{signal is post_save}")
