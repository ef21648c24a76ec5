"""Writes of the collectifs app, one module per sub-domain (CONVENTIONS §2):

- `collectif`: the collectif, its organisations, members and référents (R1, R2, R19, R20);
- `depot`: the draft, indicators, charter, filing conditions, filing and withdrawal (R1, R2, R5, R16, R19);
- `instruction`: instruction, requests for more, admissibility, closing, messages (R4).

Callers import from here: `from collectifs.services import declaration_deposer`."""

from collectifs.services.collectif import (
    DonneesConsentement,
    DonneesMembre,
    DonneesOrganisation,
    collectif_creer,
    collectif_modifier,
    communes_hors_departement,
    consentement_enregistrer,
    invitation_accepter,
    membre_ajouter,
    membre_modifier,
    message_communes_hors,
    organisation_obtenir,
    referent_inviter,
)
from collectifs.services.depot import (
    ETAPE_DE_LA_CONDITION,
    DonneesIndicateur,
    charte_accepter,
    conditions_de_depot,
    conditions_hors_calendrier,
    declaration_deposer,
    declaration_enregistrer,
    declaration_retirer,
    indicateurs_enregistrer,
)
from collectifs.services.instruction import (
    complements_demander,
    complements_repondre,
    declaration_classer_sans_suite,
    declaration_declarer_recevable,
    declaration_instruire,
    message_envoyer,
)

__all__ = [
    "ETAPE_DE_LA_CONDITION",
    "DonneesConsentement",
    "DonneesIndicateur",
    "DonneesMembre",
    "DonneesOrganisation",
    "charte_accepter",
    "collectif_creer",
    "collectif_modifier",
    "communes_hors_departement",
    "complements_demander",
    "complements_repondre",
    "conditions_de_depot",
    "conditions_hors_calendrier",
    "consentement_enregistrer",
    "declaration_classer_sans_suite",
    "declaration_declarer_recevable",
    "declaration_deposer",
    "declaration_enregistrer",
    "declaration_instruire",
    "declaration_retirer",
    "indicateurs_enregistrer",
    "invitation_accepter",
    "membre_ajouter",
    "membre_modifier",
    "message_communes_hors",
    "message_envoyer",
    "organisation_obtenir",
    "referent_inviter",
]
