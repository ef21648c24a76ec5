"""Signals of the low-level workflow layer. Domain services never import flows: flows listen here."""

from django.dispatch import Signal

# Sent after the commit of every journalled transition, with: modele (the model class), pk, transition
# (method name), source, cible, acteur_id. The viewflow flows start, advance or end their processes from it.
transition_validee = Signal()
