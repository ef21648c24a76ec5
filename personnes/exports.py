"""A person's data as a ZIP (R20): `donnees.json` (every section, ISO dates, amounts as decimal strings) and
`resume.pdf`, a readable French summary. The summary is not a numbered document: it is made on request and
kept nowhere."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from documents.rendu import rendre_pdf
from personnes.selectors import Personne

TEMPLATE_RESUME = "personnes/pdf/resume.html"


def _valeur(valeur: Any) -> Any:
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).isoformat() if timezone.is_aware(valeur) else valeur.isoformat()
    if isinstance(valeur, date):
        return valeur.isoformat()
    if isinstance(valeur, Decimal):
        return str(valeur)
    return valeur


def _ligne(**champs: Any) -> dict[str, Any]:
    return {cle: _valeur(v) for cle, v in champs.items()}


def _identite(personne: Personne) -> dict[str, Any]:
    compte = personne.compte
    if compte is not None:
        return _ligne(
            type="compte",
            prenom=compte.prenom,
            nom=compte.nom,
            email=compte.email,
            inscrit_le=compte.date_joined,
            derniere_connexion=compte.last_login,
            actif=compte.is_active,
        )
    membre = personne.membre
    assert membre is not None
    return _ligne(
        type="membre sans compte",
        prenom=membre.prenom,
        nom=membre.nom,
        email=membre.email,
        telephone=membre.telephone,
        collectif=membre.collectif.nom,
    )


def donnees_json(donnees: dict[str, Any]) -> dict[str, Any]:
    """The sections of `personnes.selectors.donnees_de` as plain JSON values. Nothing names anybody else: a consent
    says whether the person typed it, not who did."""
    compte = donnees["personne"].compte
    return {
        "identite": _identite(donnees["personne"]),
        "adhesions_collectifs": [
            _ligne(
                collectif=m.collectif.nom,
                college=m.get_college_display(),
                prenom=m.prenom,
                nom=m.nom,
                fonction=m.fonction,
                organisation=m.organisation.nom if m.organisation else "",
                email=m.email,
                telephone=m.telephone,
                date_debut=m.date_debut,
                date_fin=m.date_fin,
                consentement=m.consentement,
                saisi_le=m.saisi_le,
            )
            for m in donnees["membres"]
        ],
        "referent_de": [_ligne(collectif=c.nom) for c in donnees["referent_de"]],
        "instances": [
            _ligne(
                instance=m.instance.nom,
                prenom=m.prenom,
                nom=m.nom,
                institution=m.institution,
                college=m.get_college_display(),
                votant=m.votant,
                actif=m.actif,
                fin=m.fin,
            )
            for m in donnees["membres_instance"]
        ],
        "accompagnement": [
            _ligne(prenom=a.prenom, nom=a.nom, structure=a.structure, email=a.email, actif=a.actif)
            for a in donnees["accompagnateurs"]
        ],
        "jurys": [_ligne(prix=j.prix.titre, prenom=j.prenom, nom=j.nom) for j in donnees["jurys"]],
        "invitations": [
            _ligne(role=i.get_role_display(), email=i.email, invitee_le=i.invite_le, acceptee_le=i.acceptee_le)
            for i in donnees["invitations"]
        ]
        + [
            _ligne(role="référent·e", collectif=i.collectif.nom, email=i.email, invitee_le=i.cree_le)
            for i in donnees["invitations_referent"]
        ],
        "acces": [_ligne(email=a.email, invite_le=a.invite_le, accepte_le=a.accepte_le) for a in donnees["acces"]],
        "declarations": [
            _ligne(
                numero=d.pk,
                collectif=d.collectif.nom,
                campagne=d.campagne.annee if d.campagne else None,
                etat=d.get_etat_display(),
                deposee_le=d.deposee_le,
            )
            for d in donnees["declarations"]
        ],
        "messages": [
            _ligne(collectif=m.declaration.collectif.nom, envoye_le=m.envoye_le, texte=m.texte)
            for m in donnees["messages"]
        ],
        "consentements": [
            _ligne(
                collectif=c.collectif.nom,
                pour_le_compte_de=c.pour_le_compte_de,
                mode=c.get_mode_display(),
                precision=c.precision,
                recueilli_le=c.recueilli_le,
                saisi_par_vous=compte is not None and c.saisi_par_id == compte.pk,
            )
            for c in donnees["consentements"]
        ],
        "adhesions_charte": [
            _ligne(collectif=a.collectif.nom, charte=a.charte.version, adhere_le=a.adhere_le)
            for a in donnees["adhesions"]
        ],
        "votes": [
            _ligne(
                seance=v.point.seance.date,
                instance=v.point.seance.instance.nom,
                collectif=v.point.declaration.collectif.nom,
                choix=v.get_choix_display(),
            )
            for v in donnees["votes"]
        ],
        "journal": [
            _ligne(
                objet=f"{j.content_type.name} n° {j.object_id}",
                transition=j.transition,
                de=j.source,
                vers=j.cible,
                horodatage=j.horodatage,
                commentaire=j.commentaire,
            )
            for j in donnees["journal"]
        ],
        "documents": [
            _ligne(numero=d.numero, titre=d.titre, emis_le=d.emis_le, sha256=d.sha256) for d in donnees["documents"]
        ],
    }


def archive_zip(donnees: dict[str, Any]) -> bytes:
    """The ZIP of the export: `donnees.json` and `resume.pdf`."""
    contenu = donnees_json(donnees)
    pdf = rendre_pdf(TEMPLATE_RESUME, {"donnees": contenu, "genere_le": timezone.now()})
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("donnees.json", json.dumps(contenu, ensure_ascii=False, indent=2))
        archive.writestr("resume.pdf", pdf)
    return tampon.getvalue()
