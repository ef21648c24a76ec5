"""Jobs of the fund, run by the task worker after commit (CONVENTIONS: nothing slow inside a request)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from core.emails import courriel_envoyer, url_absolue
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.services import document_emettre
from fonds.documents import rendu_attestation, rendu_convention
from fonds.documents_mad import quotite_texte, rendu_mise_a_disposition
from fonds.enums import EtatMiseADisposition
from fonds.models import AccesEmployeur, AccesFinanceur, Convention, MiseADisposition, Versement


@task()
def emettre_convention_financement(convention_id: int) -> str | None:
    """R7, SPEC §6: issue the numbered Convention triannuelle de financement of a signed convention, once.

    Numbered CTF-<département>-<first budget year>-<sequence>, like the convention's own reference. Idempotent: the
    convention row is locked, then the document is looked for before it is issued, so a second run (or two runs at
    once) issues nothing more. Returns the number issued by this run, or None."""
    with transaction.atomic():
        convention = (
            Convention.objects.select_for_update(of=("self",))
            .select_related("departement", "fonds__departement", "declaration__collectif", "campagne")
            .get(pk=convention_id)
        )
        if convention.signee_le is None:
            return None  # nothing to issue before the signature
        if documents_de(convention, TypeDocument.CONVENTION_FINANCEMENT).exists():
            return None
        rendu = rendu_convention(convention)
        document = document_emettre(
            acteur=None,
            type=TypeDocument.CONVENTION_FINANCEMENT,
            departement=convention.departement_id,
            annee=convention.date_debut.year,
            titre=rendu.titre,
            template=rendu.template,
            contexte=rendu.contexte,
            objet=convention,
        )
        return document.numero


@task()
def emettre_attestation_versement(versement_id: int) -> str | None:
    """R7, SPEC §6: issue the numbered Attestation de versement of one payment, once.

    Numbered AVE-<département>-<budget year of the tranche>-<sequence>. Idempotent like the convention's job: the
    payment row is locked, then the attestation is looked for before it is issued. Returns the number issued by
    this run, or None."""
    with transaction.atomic():
        versement = (
            Versement.objects.select_for_update(of=("self",))
            .select_related(
                "tranche__convention__departement",
                "tranche__convention__fonds__departement",
                "tranche__convention__declaration__collectif",
                "tranche__convention__campagne",
            )
            .get(pk=versement_id)
        )
        if documents_de(versement, TypeDocument.ATTESTATION_VERSEMENT).exists():
            return None
        tranche = versement.tranche
        rendu = rendu_attestation(versement)
        document = document_emettre(
            acteur=None,
            type=TypeDocument.ATTESTATION_VERSEMENT,
            departement=tranche.convention.departement_id,
            annee=tranche.annee,
            titre=rendu.titre,
            template=rendu.template,
            contexte=rendu.contexte,
            objet=versement,
        )
        return document.numero


# --- funder invitations (fonds.services.financeurs) ---


@task()
def envoyer_invitation_financeur(acces_id: int) -> None:
    """R8: send a funder's invitation link to the invited person."""
    acces = AccesFinanceur.objects.select_related("financeur", "invite_par").get(pk=acces_id)
    courriel_envoyer(
        f"Invitation à consulter ce que finance {acces.financeur.nom}",
        "fonds/financeur/courriel_invitation.txt",
        {"acces": acces, "url": url_absolue("fonds:invitation_financeur", acces.jeton)},
        [acces.email],
    )


# --- mises à disposition (fonds.services.mises_a_disposition) ---


@task()
def envoyer_demande_employeur(mise_id: int, acces_id: int) -> None:
    """R9: tell the employer's contact about a secondment request: with the invitation link while its login is not
    accepted, with the secondment's page once it is."""
    mise = MiseADisposition.objects.select_related("collectif", "membre", "employeur", "demandee_par").get(pk=mise_id)
    acces = AccesEmployeur.objects.get(pk=acces_id)
    invitation = acces.accepte_le is None
    url = (
        url_absolue("fonds:invitation_employeur", acces.jeton)
        if invitation
        else url_absolue("fonds:mise_a_disposition", mise.pk)
    )
    courriel_envoyer(
        f"Demande de mise à disposition de {mise.membre.prenom} {mise.membre.nom}",
        "fonds/mises_a_disposition/courriel_demande.txt",
        {"mise": mise, "acces": acces, "invitation": invitation, "url": url, "quotite": quotite_texte(mise)},
        [acces.email],
    )


@task()
def emettre_convention_mise_a_disposition(mise_id: int) -> str | None:
    """R9, SPEC §6: issue the numbered Convention de mise à disposition of an acknowledged secondment, once.

    Numbered CMD-<département>-<year of the start>-<sequence>. Idempotent like the other jobs: the secondment row
    is locked, then the document is looked for before it is issued. Returns the number issued by this run, or
    None."""
    with transaction.atomic():
        mise = (
            MiseADisposition.objects.select_for_update(of=("self",))
            .select_related("collectif__departement", "membre", "employeur", "convention__campagne")
            .get(pk=mise_id)
        )
        if mise.etat != EtatMiseADisposition.PRISE_ACTE:
            return None
        if documents_de(mise, TypeDocument.CONVENTION_MISE_A_DISPOSITION).exists():
            return None
        rendu = rendu_mise_a_disposition(mise)
        document = document_emettre(
            acteur=None,
            type=TypeDocument.CONVENTION_MISE_A_DISPOSITION,
            departement=mise.collectif.departement_id,
            annee=mise.date_debut.year,
            titre=rendu.titre,
            template=rendu.template,
            contexte=rendu.contexte,
            objet=mise,
        )
        return document.numero
