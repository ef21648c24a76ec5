"""Models of mutualisation and capitalisation, one module per subject: `rencontres` (R13), `fiches` (R14),
`syntheses` (R15), `travaux` (long jobs with progress), `prix` (R18); re-exported here, so that
`from mutualisation.models import …` stays the one way to import them."""

from mutualisation.models.fiches import FichePratique, Theme
from mutualisation.models.prix import MembreJury, Nomination, NoteJury, Prix
from mutualisation.models.rencontres import RENCONTRES_PAR_AN, InvitationRencontre, PieceRencontre, Rencontre
from mutualisation.models.syntheses import RapportNational, SyntheseDepartementale
from mutualisation.models.travaux import BATTEMENT, Travail

__all__ = [
    "BATTEMENT",
    "RENCONTRES_PAR_AN",
    "FichePratique",
    "InvitationRencontre",
    "MembreJury",
    "Nomination",
    "NoteJury",
    "PieceRencontre",
    "Prix",
    "RapportNational",
    "Rencontre",
    "SyntheseDepartementale",
    "Theme",
    "Travail",
]
