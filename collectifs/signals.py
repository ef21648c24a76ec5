"""Domain signals of the collectifs app, for the layers above it (CONVENTIONS §2).

They are sent inside the sender's transaction, and their receivers work in that same transaction: what the
receiver writes lands, or rolls back, with the change that caused it."""

from django.dispatch import Signal

# A declaration that held a place in its campaign's quota gave it back (withdrawal after acceptance, or of a
# waitlisted declaration already put back on an agenda, or a convention cancelled before its first payment) (R5).
# Sent by `declaration_retirer` (sender Declaration, with `declaration`) and by `fonds.services.convention_annuler`
# (sender Convention), with `campagne` (locked by the sender) and `acteur`. Listened to by
# `instances.receivers.sur_place_liberee`, which promotes the waiting list, and by
# `fonds.receivers.sur_declaration_retiree`, which cancels the withdrawn declaration's unpaid convention.
place_liberee = Signal()

# The members of a collectif changed: one was added, corrected, or its membership ended (R12). Sent by
# `membre_ajouter` and `membre_modifier` (sender Membre) with `collectif` and `acteur`. Listened to by
# `fonds.receivers.sur_composition_modifiee`, which re-checks R1 with the campaign's thresholds for a funded
# collectif: non conforme with a grace period when it falls short, active again when restored.
composition_modifiee = Signal()
