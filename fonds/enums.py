"""Choices of the fonds app (SPEC §3, R8)."""

from django.db import models


class GestionFonds(models.TextChoices):
    """Who manages the fund: national staff by default; a département may run its own (R8)."""

    NATIONALE = "nationale", "Gestion nationale"
    DEPARTEMENTALE = "departementale", "Gestion départementale"


class NatureFinanceur(models.TextChoices):
    """The kinds of funder of SPEC §3."""

    ETAT = "etat", "État"
    DEPARTEMENT = "departement", "Département"
    AUTRE_COLLECTIVITE = "autre_collectivite", "Autre collectivité"
    UNION_EUROPEENNE = "union_europeenne", "Union européenne"
    FONDATION = "fondation", "Fondation"
    MECENAT = "mecenat", "Mécénat"
    PARTICULIER = "particulier", "Particulier"


class Compte(models.TextChoices):
    """The accounts of the double-entry ledger (ADR 0005). A movement's lines sum to zero."""

    # What a funder brought: negative, the counterpart of the money made available.
    APPORT = "apport", "Apport d'un financeur"
    # Contributed to the fund for a budget year and not yet distributed (per earmarked département, or none).
    DISPONIBLE = "disponible", "Disponible à répartir"
    # Distributed to a département for a budget year.
    ENVELOPPE = "enveloppe", "Enveloppe départementale"
