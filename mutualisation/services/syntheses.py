"""R15: the département's yearly synthesis. Its instructeurs generate the figures from the data (and regenerate them
while it is a draft), the instance writes its text (instructeurs or the instance's president), and transmits it:
the figures are then frozen (a snapshot read by the national report, reproducible to the cent) and the numbered PDF
« Synthèse départementale » is issued by the worker after commit (`mutualisation.tasks_syntheses`)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comptes.models import Acteur, personne
from core.permissions import exiger
from fonds.models.fonds import ANNEE_MIN
from journal.fsm import transition_appliquer
from mutualisation import tasks_syntheses as tasks
from mutualisation.enums import EtatSynthese
from mutualisation.models import SyntheseDepartementale
from mutualisation.models.syntheses import LONGUEUR_TEXTE_INSTANCE
from mutualisation.permissions import syntheses as permissions
from mutualisation.selectors.syntheses import chiffres_synthese
from territoires.models import Departement

FIGEE = "Cette synthèse a été transmise : ses chiffres sont figés."


def annee_valide(annee: int) -> None:
    """A synthesis covers a year that has begun: from the first budget year to the current one."""
    courante = timezone.localdate().year
    if not ANNEE_MIN <= annee <= courante:
        raise ValidationError({"annee": [f"Choisissez une année entre {ANNEE_MIN} et {courante}."]})


def _verrouiller(synthese: SyntheseDepartementale) -> SyntheseDepartementale:
    return (
        SyntheseDepartementale.objects.select_for_update(of=("self",)).select_related("departement").get(pk=synthese.pk)
    )


@transaction.atomic(durable=True)
def synthese_generer(*, acteur: Acteur, departement: Departement, annee: int) -> SyntheseDepartementale:
    """R15: generate (or regenerate, while it is a draft) the figures of the département's synthesis of `annee` from
    the data. The instance's text is kept. Refused once transmitted: its figures are frozen."""
    exiger(permissions.can_generer_synthese(acteur, departement.code))
    annee_valide(annee)
    try:
        with transaction.atomic():
            synthese, _cree = SyntheseDepartementale.objects.get_or_create(departement=departement, annee=annee)
    except IntegrityError:  # created concurrently: take that one
        synthese = SyntheseDepartementale.objects.get(departement=departement, annee=annee)
    synthese = _verrouiller(synthese)
    if synthese.etat != EtatSynthese.BROUILLON:
        raise ValidationError(FIGEE)
    synthese.chiffres = chiffres_synthese(departement, annee)
    synthese.generee_le = timezone.now()
    synthese.generee_par = personne(acteur)
    synthese.save(update_fields=["chiffres", "generee_le", "generee_par"])
    return synthese


@transaction.atomic(durable=True)
def synthese_rediger(*, acteur: Acteur, synthese: SyntheseDepartementale, texte: str) -> SyntheseDepartementale:
    """R15: the instance's own text (instructeurs or the instance's president), while the synthesis is a draft."""
    synthese = _verrouiller(synthese)
    if synthese.etat != EtatSynthese.BROUILLON:
        raise ValidationError(FIGEE)
    exiger(permissions.can_rediger_synthese(acteur, synthese))
    texte = texte.strip()
    if len(texte) > LONGUEUR_TEXTE_INSTANCE:
        raise ValidationError(
            {"texte_instance": [f"{LONGUEUR_TEXTE_INSTANCE:,} caractères au plus.".replace(",", " ")]}
        )
    synthese.texte_instance = texte
    synthese.save(update_fields=["texte_instance"])
    return synthese


@transaction.atomic(durable=True)
def synthese_transmettre(*, acteur: Acteur, synthese: SyntheseDepartementale) -> SyntheseDepartementale:
    """R15: the instance transmits its synthesis: the figures are frozen from now on (the national report reads
    this snapshot). It needs generated figures and the instance's text. The PDF is issued after commit."""
    synthese = _verrouiller(synthese)
    if synthese.etat != EtatSynthese.BROUILLON:
        raise ValidationError(FIGEE)
    exiger(permissions.can_transmettre_synthese(acteur, synthese))
    erreurs: dict[str, list[str]] = {}
    if not synthese.chiffres or synthese.generee_le is None:
        erreurs["chiffres"] = ["Générez les chiffres de la synthèse avant de la transmettre."]
    if not synthese.texte_instance.strip():
        erreurs["texte_instance"] = ["Ajoutez le texte de l'instance avant de transmettre la synthèse."]
    if erreurs:
        raise ValidationError(erreurs)
    synthese.transmise_par = personne(acteur)
    transition_appliquer(
        synthese,
        "transmettre",
        acteur=acteur,
        commentaire=f"Synthèse {synthese.annee} transmise : chiffres figés.",
        update_fields=["transmise_le", "transmise_par"],
    )
    transaction.on_commit(partial(tasks.emettre_synthese.enqueue, synthese.pk))
    return synthese
