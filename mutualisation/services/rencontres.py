"""R13: the département's mutualisation meetings. An instructeur plans a meeting (date and time, place, theme,
programme) and invites agreed collectifs of the département (their référents are told by e-mail after commit),
records the attendance afterwards (present or not, and how many people: aggregates only, R20), shares notes and
documents with the invited collectifs, and may cancel it with a reason (the row stays, R19).

Documents are checked here: at most TAILLE_MAX_PIECE bytes, and a PDF, ODT, DOCX, PNG or JPEG file whose content
matches its extension; their SHA-256 is stored and checked again when they are served
(`mutualisation.views.rencontres.piece`, never from MEDIA_URL)."""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from collectifs.models import Collectif
from comptes.models import Acteur, personne
from core.permissions import exiger
from journal.fsm import transition_appliquer
from mutualisation import tasks_rencontres as tasks
from mutualisation.models import InvitationRencontre, PieceRencontre, Rencontre
from mutualisation.models.rencontres import LONGUEUR_COMPTE_RENDU, LONGUEUR_DESCRIPTION
from mutualisation.permissions import rencontres as permissions
from mutualisation.selectors.rencontres import collectifs_invitables
from territoires.models import Departement

LONGUEUR_LIEU = 200
LONGUEUR_THEME = 200
LONGUEUR_MOTIF = 500
LONGUEUR_TITRE_PIECE = 200
# How many people of one collectif may be counted at one meeting (a typing error beyond that).
PERSONNES_MAX = 500

TAILLE_MAX_PIECE = 10 * 1024 * 1024  # 10 Mo
# Allowed extensions → the MIME type stored and served.
TYPES_PIECE = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
FORMATS_ACCEPTES = "PDF, ODT, DOCX, PNG ou JPEG"
MIME_ODT = TYPES_PIECE["odt"].encode()


def _limite(longueur: int) -> str:
    return f"{longueur:,} caractères au plus.".replace(",", " ")


@dataclass(frozen=True)
class DonneesRencontre:
    """A meeting as typed: when (aware date and time), where, its theme and its programme."""

    date: datetime | None
    lieu: str
    theme: str
    description: str = ""


def _verifier(donnees: DonneesRencontre) -> dict[str, list[str]]:
    erreurs: dict[str, list[str]] = {}
    if donnees.date is None:
        erreurs["date"] = ["Indiquez la date et l'heure de la rencontre."]
    for nom, longueur, manque in (
        ("lieu", LONGUEUR_LIEU, "Indiquez le lieu de la rencontre."),
        ("theme", LONGUEUR_THEME, "Indiquez le thème de la rencontre."),
    ):
        valeur = getattr(donnees, nom).strip()
        if not valeur:
            erreurs[nom] = [manque]
        elif len(valeur) > longueur:
            erreurs[nom] = [_limite(longueur)]
    if len(donnees.description.strip()) > LONGUEUR_DESCRIPTION:
        erreurs["description"] = [_limite(LONGUEUR_DESCRIPTION)]
    return erreurs


def _collectifs_a_inviter(departement_code: str, collectifs: Iterable[Collectif | int]) -> list[Collectif]:
    """The requested collectifs, each an agreed collectif of the département; ValidationError otherwise."""
    ids = {c.pk if isinstance(c, Collectif) else int(c) for c in collectifs}
    trouves = list(collectifs_invitables(departement_code).filter(pk__in=ids))
    if len(trouves) != len(ids):
        raise ValidationError(
            {"collectifs": ["Seuls les collectifs agréés du département peuvent être invités à ses rencontres."]}
        )
    return trouves


def _inviter(rencontre: Rencontre, collectifs: list[Collectif]) -> list[InvitationRencontre]:
    """Invite the collectifs not invited yet; their référents are told after commit."""
    deja = set(rencontre.invitations.values_list("collectif_id", flat=True))
    nouvelles = [InvitationRencontre(rencontre=rencontre, collectif=c) for c in collectifs if c.pk not in deja]
    InvitationRencontre.objects.bulk_create(nouvelles)
    if nouvelles:
        ids = [i.collectif_id for i in nouvelles]
        transaction.on_commit(partial(tasks.notifier_invitations.enqueue, rencontre.pk, ids))
    return nouvelles


@transaction.atomic(durable=True)
def rencontre_planifier(
    *,
    acteur: Acteur,
    departement: Departement,
    donnees: DonneesRencontre,
    collectifs: Iterable[Collectif | int] = (),
) -> Rencontre:
    """R13: an instructeur of the département plans a meeting and invites agreed collectifs of the département."""
    exiger(permissions.can_planifier_rencontre(acteur, departement.code))
    erreurs = _verifier(donnees)
    invites: list[Collectif] = []
    try:
        invites = _collectifs_a_inviter(departement.code, collectifs)
    except ValidationError as erreur:
        erreurs.update(erreur.message_dict)
    if erreurs:
        raise ValidationError(erreurs)
    auteur = personne(acteur)
    assert auteur is not None and donnees.date is not None  # an instructeur is logged in; checked above
    rencontre = Rencontre(
        departement=departement,
        date=donnees.date,
        lieu=donnees.lieu.strip(),
        theme=donnees.theme.strip(),
        description=donnees.description.strip(),
        cree_par=auteur,
    )
    rencontre.full_clean(exclude=["etat"])  # a protected FSM field: only its transitions set it
    rencontre.save()
    _inviter(rencontre, invites)
    return rencontre


def _verrouiller(rencontre: Rencontre) -> Rencontre:
    return Rencontre.objects.select_for_update(of=("self",)).select_related("departement").get(pk=rencontre.pk)


def _exiger_gestion(acteur: Acteur, rencontre: Rencontre) -> None:
    """403 for whoever is not an instructeur of the département; then a cancelled meeting no longer changes."""
    exiger(permissions.can_planifier_rencontre(acteur, rencontre.departement_id))
    if rencontre.annulee_le is not None:
        raise ValidationError("Cette rencontre est annulée : elle ne se modifie plus.")
    exiger(permissions.can_gerer_rencontre(acteur, rencontre))


@transaction.atomic(durable=True)
def rencontre_modifier(*, acteur: Acteur, rencontre: Rencontre, donnees: DonneesRencontre) -> Rencontre:
    """R13: the département's instructeurs change the date, place, theme or programme of a meeting not cancelled."""
    rencontre = _verrouiller(rencontre)
    _exiger_gestion(acteur, rencontre)
    erreurs = _verifier(donnees)
    if erreurs:
        raise ValidationError(erreurs)
    assert donnees.date is not None  # checked above
    rencontre.date = donnees.date
    rencontre.lieu = donnees.lieu.strip()
    rencontre.theme = donnees.theme.strip()
    rencontre.description = donnees.description.strip()
    rencontre.save(update_fields=["date", "lieu", "theme", "description"])
    return rencontre


@transaction.atomic(durable=True)
def rencontre_inviter(
    *, acteur: Acteur, rencontre: Rencontre, collectifs: Iterable[Collectif | int]
) -> list[InvitationRencontre]:
    """R13: invite more agreed collectifs of the département (those already invited are left as they are); each
    newly invited collectif's référents get an e-mail after commit. Returns the new invitations."""
    rencontre = _verrouiller(rencontre)
    _exiger_gestion(acteur, rencontre)
    invites = _collectifs_a_inviter(rencontre.departement_id, collectifs)
    if not invites:
        raise ValidationError({"collectifs": ["Cochez au moins un collectif à inviter."]})
    return _inviter(rencontre, invites)


@dataclass(frozen=True)
class Presence:
    """One invited collectif's attendance: whether it came and, if so, how many people (an aggregate, R20)."""

    present: bool | None
    nombre_personnes: int | None = None


@transaction.atomic(durable=True)
def rencontre_presences_enregistrer(
    *, acteur: Acteur, rencontre: Rencontre, presences: dict[int, Presence]
) -> list[InvitationRencontre]:
    """R13: once the meeting has taken place, its instructeurs record, per invited collectif (`presences`: collectif
    pk → Presence), whether it came and how many people. Names are never recorded: counts only (R20)."""
    rencontre = _verrouiller(rencontre)
    _exiger_gestion(acteur, rencontre)
    if rencontre.date > timezone.now():
        raise ValidationError("La rencontre n'a pas encore eu lieu : les présences se notent ensuite.")
    invitations = {i.collectif_id: i for i in rencontre.invitations.select_for_update(of=("self",))}
    erreurs: dict[str, list[str]] = {}
    for collectif_id, presence in presences.items():
        if collectif_id not in invitations:
            erreurs["presences"] = ["Seuls les collectifs invités ont une présence à noter."]
        elif presence.nombre_personnes is not None and not presence.present:
            erreurs[f"nombre_{collectif_id}"] = ["Un nombre de personnes se note pour un collectif présent."]
        elif presence.nombre_personnes is not None and not 1 <= presence.nombre_personnes <= PERSONNES_MAX:
            erreurs[f"nombre_{collectif_id}"] = [f"Un nombre entre 1 et {PERSONNES_MAX}."]
    if erreurs:
        raise ValidationError(erreurs)
    modifiees = []
    for collectif_id, presence in presences.items():
        invitation = invitations[collectif_id]
        invitation.present = presence.present
        invitation.nombre_personnes = presence.nombre_personnes if presence.present else None
        modifiees.append(invitation)
    InvitationRencontre.objects.bulk_update(modifiees, ["present", "nombre_personnes"])
    return modifiees


@transaction.atomic(durable=True)
def rencontre_compte_rendu_partager(*, acteur: Acteur, rencontre: Rencontre, texte: str) -> Rencontre:
    """R13: the instructeurs write the meeting's notes; once saved they are shared with the invited collectifs
    (updating them again keeps them shared, with the new date)."""
    rencontre = _verrouiller(rencontre)
    _exiger_gestion(acteur, rencontre)
    texte = texte.strip()
    if not texte:
        raise ValidationError({"compte_rendu": ["Écrivez les notes avant de les partager."]})
    if len(texte) > LONGUEUR_COMPTE_RENDU:
        raise ValidationError({"compte_rendu": [_limite(LONGUEUR_COMPTE_RENDU)]})
    rencontre.compte_rendu = texte
    rencontre.compte_rendu_le = timezone.now()
    rencontre.save(update_fields=["compte_rendu", "compte_rendu_le"])
    return rencontre


def type_de_fichier(nom: str, debut: bytes, fichier: UploadedFile) -> str | None:
    """The MIME type of an uploaded file when its extension is allowed and its content matches it; else None.

    The content decides (the browser's declared type is not trusted): PDF, PNG and JPEG by their signature; ODT and
    DOCX are ZIP archives, told apart by their `mimetype` entry or their `word/` part."""
    extension = nom.rsplit(".", 1)[-1].lower() if "." in nom else ""
    attendu = TYPES_PIECE.get(extension)
    if attendu is None:
        return None
    if debut.startswith(b"%PDF-"):
        trouve = TYPES_PIECE["pdf"]
    elif debut.startswith(b"\x89PNG\r\n\x1a\n"):
        trouve = TYPES_PIECE["png"]
    elif debut.startswith(b"\xff\xd8\xff"):
        trouve = TYPES_PIECE["jpeg"]
    elif debut.startswith(b"PK\x03\x04"):
        fichier.seek(0)
        try:
            with zipfile.ZipFile(fichier) as archive:
                noms = set(archive.namelist())
                if "mimetype" in noms and archive.read("mimetype").strip() == MIME_ODT:
                    trouve = TYPES_PIECE["odt"]
                elif "[Content_Types].xml" in noms and any(n.startswith("word/") for n in noms):
                    trouve = TYPES_PIECE["docx"]
                else:
                    return None
        except zipfile.BadZipFile:
            return None
    else:
        return None
    return attendu if trouve == attendu else None


def _empreinte(fichier: UploadedFile) -> str:
    fichier.seek(0)
    sha = hashlib.sha256()
    for morceau in fichier.chunks():
        sha.update(morceau)
    fichier.seek(0)
    return sha.hexdigest()


@transaction.atomic(durable=True)
def piece_deposer(*, acteur: Acteur, rencontre: Rencontre, titre: str, fichier: UploadedFile) -> PieceRencontre:
    """R13: the instructeurs share a document with the invited collectifs: at most 10 Mo, PDF, ODT, DOCX, PNG or
    JPEG (checked on the content). Stored under a random name with its SHA-256; never served from MEDIA_URL."""
    rencontre = _verrouiller(rencontre)
    _exiger_gestion(acteur, rencontre)
    erreurs: dict[str, list[str]] = {}
    titre = titre.strip()
    if not titre:
        erreurs["titre"] = ["Donnez un titre au document."]
    elif len(titre) > LONGUEUR_TITRE_PIECE:
        erreurs["titre"] = [_limite(LONGUEUR_TITRE_PIECE)]
    taille = fichier.size or 0
    type_mime: str | None = None
    if taille == 0:
        erreurs["fichier"] = ["Le fichier est vide."]
    elif taille > TAILLE_MAX_PIECE:
        mo = f"{taille / (1024 * 1024):.1f}".replace(".", ",")
        erreurs["fichier"] = [f"Le fichier pèse {mo} Mo : 10 Mo au plus. Réduisez-le ou découpez-le."]
    else:
        fichier.seek(0)
        type_mime = type_de_fichier(fichier.name or "", fichier.read(8), fichier)
        if type_mime is None:
            erreurs["fichier"] = [
                f"Ce type de fichier n'est pas accepté : formats acceptés {FORMATS_ACCEPTES}, "
                "avec l'extension qui correspond à leur contenu."
            ]
    if erreurs:
        raise ValidationError(erreurs)
    assert type_mime is not None
    auteur = personne(acteur)
    assert auteur is not None
    extension = (fichier.name or "").rsplit(".", 1)[-1].lower()
    piece = PieceRencontre(
        rencontre=rencontre,
        titre=titre,
        type_mime=type_mime,
        taille=taille,
        sha256=_empreinte(fichier),
        deposee_par=auteur,
    )
    piece.fichier.save(f"{uuid.uuid4().hex}.{extension}", fichier, save=False)
    piece.save()
    return piece


def piece_lire(piece: PieceRencontre) -> bytes:
    """The stored bytes of a document, checked against its SHA-256 (a file changed on disk is never served)."""
    with piece.fichier.open("rb") as fichier:
        contenu = fichier.read()
    if hashlib.sha256(contenu).hexdigest() != piece.sha256:
        raise ValueError(f"L'empreinte du document {piece.pk} ne correspond plus : il n'est pas servi.")
    return contenu


@transaction.atomic(durable=True)
def rencontre_annuler(*, acteur: Acteur, rencontre: Rencontre, motif: str) -> Rencontre:
    """R13, R19: the instructeurs cancel a meeting with a reason; it stays in the list, marked « annulée », and no
    longer counts as held. The invited collectifs' référents are told after commit."""
    rencontre = _verrouiller(rencontre)
    _exiger_gestion(acteur, rencontre)
    motif = motif.strip()
    if not motif:
        raise ValidationError({"motif": ["Indiquez pourquoi la rencontre est annulée."]})
    if len(motif) > LONGUEUR_MOTIF:
        raise ValidationError({"motif": [_limite(LONGUEUR_MOTIF)]})
    rencontre.motif_annulation = motif
    transition_appliquer(
        rencontre,
        "annuler",
        acteur=acteur,
        commentaire=motif,
        update_fields=["annulee_le", "motif_annulation"],
        verifier_permission=False,  # _exiger_gestion above
    )
    transaction.on_commit(partial(tasks.notifier_annulation.enqueue, rencontre.pk))
    return rencontre
