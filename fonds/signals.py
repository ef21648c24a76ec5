"""Domain signals of the fonds app, for the layers above it (CONVENTIONS §2).

They are sent inside the sender's transaction; a receiver that must not turn the sender's change into an error
defers its own work to after the commit."""

from django.dispatch import Signal

# The yearly check-ins of a convention were created, one per convention year, at its signature (R11). Sent by
# `fonds.services.bilans.bilans_prevoir` (sender BilanAnnuel) with `bilans` (their primary keys). Listened to by
# `workflow.receivers.sur_bilans_prevus`, which starts one check-in process per bilan after the commit (its
# reminders and lateness timers).
bilans_prevus = Signal()
