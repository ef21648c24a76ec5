"""Jobs of the syntheses and the national report (R15), run by the task worker after commit (`manage.py db_worker`).

- `emettre_synthese`: the numbered PDF « Synthèse départementale » (SYN-<département>-<année>-<n>) of a transmitted
  synthesis, once.
- `generer_rapport_national`: the national report of a year, with visible progress (one step per département, then
  the PDF): the consolidation is read step by step outside any transaction, each step's progress committed at once
  (`travaux.avancer`); the result (figures, syntheses « consolidée », PDF RNC-FR-<année>-<n>, job « terminé ») is
  written in one transaction at the end, so a worker killed mid-run leaves nothing half-written: the job goes
  stale and is relaunched (page « Relancer », or `manage.py travaux_relancer`)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from documents.enums import TypeDocument
from documents.models import CODE_NATIONAL
from documents.reemission import Rendu
from documents.services import document_emettre
from journal.fsm import transition_appliquer
from mutualisation.enums import EtatSynthese
from mutualisation.models import RapportNational, SyntheseDepartementale
from mutualisation.selectors.rapports import (
    carte_rapport,
    consolider,
    graphiques_rapport,
    lignes_comparaison,
    lignes_totaux,
    syntheses_a_consolider,
    tableau_departements,
)
from mutualisation.selectors.syntheses import graphiques_synthese, lignes_chiffres
from mutualisation.services import travaux
from territoires.models import Departement

TEMPLATE_SYNTHESE = "mutualisation/syntheses/pdf_synthese.html"
TEMPLATE_RAPPORT = "mutualisation/rapports/pdf_rapport.html"

journal = logging.getLogger(__name__)


def contexte_synthese(synthese: SyntheseDepartementale) -> dict[str, object]:
    """What the PDF of a synthesis shows: the département, the year, the frozen figures by section, the charts (the
    page's SVG) and the instance's text (escaped by the template)."""
    return {
        "synthese": synthese,
        "departement": synthese.departement,
        "sections": lignes_chiffres(synthese.chiffres),
        "graphiques": graphiques_synthese(synthese.chiffres),
    }


def rendu_synthese(synthese: SyntheseDepartementale) -> Rendu:
    """The PDF of a departmental synthesis."""
    return Rendu(
        titre=f"Synthèse départementale {synthese.annee} — {synthese.departement.nom}",
        template=TEMPLATE_SYNTHESE,
        contexte=contexte_synthese(synthese),
    )


@task()
def emettre_synthese(synthese_id: int) -> str | None:
    """R15, SPEC §6: issue the PDF of a transmitted synthesis, once (the row is locked, then its document looked
    for). Returns the number issued by this run, or None."""
    with transaction.atomic():
        synthese = (
            SyntheseDepartementale.objects.select_for_update(of=("self",))
            .select_related("departement", "transmise_par")
            .get(pk=synthese_id)
        )
        if synthese.etat == EtatSynthese.BROUILLON or synthese.document_id is not None:
            return None
        rendu = rendu_synthese(synthese)
        document = document_emettre(
            acteur=synthese.transmise_par,
            type=TypeDocument.SYNTHESE_DEPARTEMENTALE,
            departement=synthese.departement_id,
            annee=synthese.annee,
            titre=rendu.titre,
            template=rendu.template,
            contexte=rendu.contexte,
            objet=synthese,
        )
        synthese.document = document
        synthese.save(update_fields=["document"])
        return document.numero


def contexte_rapport(rapport: RapportNational) -> dict[str, object]:
    """What the national report's PDF shows: totals, comparison with the previous year, the missing départements,
    the map and the charts (each with its data table), and the per-département table (a table, not 101 charts)."""
    entetes, lignes = tableau_departements(rapport.chiffres)
    return {
        "rapport": rapport,
        "chiffres": rapport.chiffres,
        "totaux": lignes_totaux(rapport.chiffres),
        "comparaison": lignes_comparaison(rapport.chiffres),
        "manquants": rapport.departements_manquants,
        "carte": carte_rapport(rapport.chiffres),
        "graphiques": graphiques_rapport(rapport.chiffres),
        "entetes": entetes,
        "lignes": lignes,
    }


def rendu_rapport(rapport: RapportNational) -> Rendu:
    """The PDF of a national report."""
    return Rendu(
        titre=f"Rapport national de capitalisation {rapport.annee}",
        template=TEMPLATE_RAPPORT,
        contexte=contexte_rapport(rapport),
    )


def rapport_executer(travail_id: int) -> RapportNational | None:
    """R15: the worker's run of a national report (see the module's docstring). Returns the report, or None when the
    job was no longer this worker's (already done, or taken over after going stale)."""
    try:
        travail = travaux.travail_demarrer(travail_id)
    except travaux.TravailInterrompu:
        return None
    try:
        rapport = RapportNational.objects.get(travail=travail)
        annee = rapport.annee
        departements = list(Departement.objects.order_by("code"))
        total = len(departements) + 1
        travaux.avancer(travail, "Lecture des synthèses transmises", 0, total)
        syntheses = syntheses_a_consolider(annee)
        precedent = (
            RapportNational.objects.filter(annee=annee - 1, genere_le__isnull=False)
            .values_list("chiffres", flat=True)
            .first()
        )
        chiffres, manquants = consolider(
            annee,
            syntheses,
            departements,
            precedent,
            pas=lambda rang, d: travaux.avancer(travail, f"Département {d.nom} ({d.code})", rang, total),
        )
        travaux.avancer(travail, "Rédaction du rapport PDF", len(departements), total)
        with transaction.atomic():
            rapport = RapportNational.objects.select_for_update().get(pk=rapport.pk)
            acteur = travail.lance_par
            verrouillees = SyntheseDepartementale.objects.select_for_update().filter(pk__in=[s.pk for s in syntheses])
            for synthese in verrouillees.order_by("pk"):
                synthese.rapport = rapport
                if synthese.etat == EtatSynthese.TRANSMISE:
                    transition_appliquer(
                        synthese,
                        "consolider",
                        acteur=acteur,
                        commentaire=f"Consolidée dans le rapport national {annee}.",
                        update_fields=["rapport"],
                    )
                else:
                    synthese.save(update_fields=["rapport"])
            rapport.chiffres = chiffres
            rapport.departements_manquants = manquants
            rapport.genere_le = timezone.now()
            rapport.genere_par = acteur
            rendu = rendu_rapport(rapport)
            document = document_emettre(
                acteur=acteur,
                type=TypeDocument.RAPPORT_NATIONAL,
                departement=CODE_NATIONAL,
                annee=annee,
                titre=rendu.titre,
                template=rendu.template,
                contexte=rendu.contexte,
                objet=rapport,
            )
            rapport.document = document
            rapport.save(update_fields=["chiffres", "departements_manquants", "genere_le", "genere_par", "document"])
            travaux.terminer(travail, f"Rapport {document.numero} émis")
        return rapport
    except travaux.TravailInterrompu:
        journal.warning("Rapport national : le travail %s a été repris par un autre worker.", travail_id)
        return None
    except Exception as erreur:
        travaux.echouer(travail, f"{type(erreur).__name__} : {erreur}")
        raise


@task()
def generer_rapport_national(travail_id: int) -> str | None:
    """R15: run a national report's job (`rapport_executer`). Returns the number of the PDF issued, or None."""
    rapport = rapport_executer(travail_id)
    return rapport.document.numero if rapport is not None and rapport.document is not None else None
