"""Domain signals of the campagnes app, for the layers above it (CONVENTIONS §2).

Sent inside the sender's transaction; a receiver works in that same transaction, and an exception it raises
(a ValidationError) cancels the change that caused it."""

from django.dispatch import Signal

# A campaign is opening (R3), its row locked by the sender. Sent by `campagne_ouvrir` with `campagne` and
# `acteur`. Listened to by `fonds.receivers.sur_campagne_ouverte`, which reserves the campaign's yearly envelope
# for Y, Y+1 and Y+2 or refuses the opening with a ValidationError naming the year and the shortfall.
campagne_ouverte = Signal()
