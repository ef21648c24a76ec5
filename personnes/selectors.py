"""Everything the platform holds about one person (R20): an account, or a collectif member without one.

A person is found through every row that carries them: their account, the collectif memberships with their
e-mail, their seats on an instance or a jury, their accompagnateur record, their invitations. Mentions in free
text are found with one regular expression (`motif_de`), case- and accent-insensitive, that both the export and
the anonymisation use. Every read here takes a fixed number of queries, whatever the person's history.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from collectifs import permissions as permissions_collectifs
from collectifs.models import (
    AdhesionCharte,
    Collectif,
    Consentement,
    Declaration,
    DemandeComplements,
    InvitationReferent,
    Membre,
    Message,
)
from comptes.models import Acteur, User
from comptes.permissions import connecte, est_equipe_nationale
from documents.models import Document
from documents.services import document_lire
from fonds.models import AccesEmployeur, AccesFinanceur, Convention, MiseADisposition, Versement
from instances.models import Accompagnateur, Invitation, MembreInstance, PointOrdreDuJour, Seance, Vote
from journal.models import TransitionLog
from mutualisation.models import FichePratique, MembreJury

# --- who the person is ---------------------------------------------------------------------------------------


@dataclass
class Personne:
    """One person, seen through every row that carries them. `compte` or `membre` is the entry point: an account,
    or a collectif member without one (who is known only in that collectif)."""

    compte: User | None = None
    membre: Membre | None = None
    membres: list[Membre] = field(default_factory=list)
    membres_instance: list[MembreInstance] = field(default_factory=list)
    accompagnateurs: list[Accompagnateur] = field(default_factory=list)
    jurys: list[MembreJury] = field(default_factory=list)

    @property
    def cle(self) -> str:
        """A stable key of the person (never shown): the account's, else the member's."""
        if self.compte is not None:
            return f"compte:{self.compte.pk}"
        assert self.membre is not None
        return f"membre:{self.membre.pk}"

    @property
    def prenom(self) -> str:
        return self.compte.prenom if self.compte is not None else self.membre.prenom if self.membre else ""

    @property
    def nom(self) -> str:
        return self.compte.nom if self.compte is not None else self.membre.nom if self.membre else ""

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}".strip()

    @property
    def emails(self) -> list[str]:
        adresses = [self.compte.email] if self.compte is not None else []
        adresses += [m.email for m in self.membres if m.email]
        adresses += [a.email for a in self.accompagnateurs if a.email]
        return sorted({a.strip().lower() for a in adresses if a.strip()})

    @property
    def noms(self) -> list[tuple[str, str]]:
        """Every (first name, name) the person is recorded under (their rows may spell it differently)."""
        paires = [(self.prenom, self.nom)]
        paires += [(m.prenom, m.nom) for m in self.membres]
        paires += [(m.prenom, m.nom) for m in self.membres_instance]
        paires += [(a.prenom, a.nom) for a in self.accompagnateurs]
        paires += [(j.prenom, j.nom) for j in self.jurys]
        return sorted({(p.strip(), n.strip()) for p, n in paires if p.strip() and n.strip()})

    @property
    def collectifs_ids(self) -> list[int]:
        return sorted({m.collectif_id for m in self.membres})


def personne_du_compte(user: User) -> Personne:
    """A person with an account: their collectif memberships are the members recorded with their e-mail."""
    return Personne(
        compte=user,
        membres=list(
            Membre.objects.filter(email__iexact=user.email).select_related("collectif", "organisation").order_by("pk")
        ),
        membres_instance=list(MembreInstance.objects.filter(user=user).select_related("instance").order_by("pk")),
        accompagnateurs=list(Accompagnateur.objects.filter(user=user).order_by("pk")),
        jurys=list(MembreJury.objects.filter(user=user).select_related("prix").order_by("pk")),
    )


def personne_du_membre(membre: Membre) -> Personne:
    """A collectif member without an account: known only through this one record."""
    return Personne(membre=membre, membres=[membre])


def membre_sans_compte(collectif_id: int, membre_id: int) -> Membre | None:
    """The member, when no account carries their e-mail (otherwise the person exports their data themself)."""
    membre = Membre.objects.select_related("collectif", "organisation").filter(collectif_id=collectif_id, pk=membre_id)
    trouve = membre.first()
    if trouve is None or (trouve.email and User.objects.filter(email__iexact=trouve.email).exists()):
        return None
    return trouve


# --- who may read or anonymise it ----------------------------------------------------------------------------


def can_exporter_personne(user: Acteur, personne: Personne) -> bool:
    """R20: the person themself; a référent of the collectif of a member without an account; national staff."""
    if not connecte(user):
        return False
    if est_equipe_nationale(user):
        return True
    if personne.compte is not None:
        return personne.compte.pk == user.pk
    assert personne.membre is not None
    return permissions_collectifs.est_referent(user, personne.membre.collectif)


def can_anonymiser_personne(user: Acteur) -> bool:
    """R20: only national staff anonymise a person, on request and with a reason."""
    return est_equipe_nationale(user)


def comptes_recherches(texte: str) -> QuerySet[User]:
    """Accounts whose name or e-mail contains the text, whatever the case and accents (national staff's search
    before an anonymisation: « dupre » finds Dupré)."""
    return User.objects.filter(_filtre_recherche(texte)).order_by("nom", "prenom", "pk")


def _filtre_recherche(texte: str) -> Q:
    filtre = Q()
    for mot in _mots(texte):
        motif = _motif_mot(mot)
        filtre &= Q(email__icontains=mot) | Q(prenom__regex=motif) | Q(nom__regex=motif)
    return filtre


def membres_recherches(texte: str) -> QuerySet[Membre]:
    """Collectif members whose name or e-mail contains the text, whatever the case and accents."""
    return Membre.objects.filter(_filtre_recherche(texte)).select_related("collectif").order_by("nom", "prenom", "pk")


# --- how their name is written ---------------------------------------------------------------------------------

# Each unaccented letter stands for its accented forms, both cases spelled out (PostgreSQL's case folding of
# non-ASCII letters depends on the database locale; listing them does not).
_VARIANTES = {
    "a": "aàâäáãåAÀÂÄÁÃÅ",
    "c": "cçCÇ",
    "e": "eéèêëEÉÈÊË",
    "i": "iîïíìIÎÏÍÌ",
    "n": "nñNÑ",
    "o": "oôöóòõOÔÖÓÒÕ",
    "u": "uùûüúUÙÛÜÚ",
    "y": "yÿYŸ",
}
SEPARATEUR = r"[\s'’.-]+"


def sans_accents(texte: str) -> str:
    return unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")


def _mots(texte: str) -> list[str]:
    return [m for m in re.split(r"[\s'’.-]+", sans_accents(texte).lower()) if m]


def _motif_mot(mot: str) -> str:
    return "".join(
        f"[{_VARIANTES[c]}]" if c in _VARIANTES else (f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c)) for c in mot
    )


def motif_de(noms: list[tuple[str, str]], emails: list[str]) -> str:
    """One regular expression for every way the person is named in free text: « Prénom Nom », « Nom Prénom »
    and each e-mail, whatever the case and accents. Understood alike by Python, SQLite (Django's REGEXP) and
    PostgreSQL (`~*`)."""
    variantes: list[str] = []
    for prenom, nom in noms:
        mots_prenom, mots_nom = _mots(prenom), _mots(nom)
        if not mots_prenom or not mots_nom:
            continue
        variantes.append(SEPARATEUR.join(_motif_mot(m) for m in mots_prenom + mots_nom))
        variantes.append(SEPARATEUR.join(_motif_mot(m) for m in mots_nom + mots_prenom))
    variantes += [_motif_mot(e) for e in emails]
    return "(" + "|".join(variantes) + ")" if variantes else ""


def motif_personne(personne: Personne) -> str:
    return motif_de(personne.noms, personne.emails)


def pseudonyme_code(personne: Personne) -> str:
    """Stable four-character code of a person: HMAC of their key with the secret key (« 8F3A »)."""
    return hmac.new(settings.SECRET_KEY.encode(), personne.cle.encode(), hashlib.sha256).hexdigest()[:4].upper()


def texte_du_pdf(contenu: bytes) -> str:
    """The text of a PDF, extracted with pypdf (empty when it cannot be read)."""
    try:
        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(contenu)).pages)
    except (PdfReadError, ValueError):
        return ""


# --- what is held about them ---------------------------------------------------------------------------------


def _documents_candidats(personne: Personne, objets: Sequence[models.Model] = ()) -> QuerySet[Document]:
    """Current documents about an object the person is tied to (their collectifs' declarations, requests,
    decisions, agreements, payments, secondments, sheets; the séances of their instances), about one of `objets`
    (rows whose free text names them), or whose title names them: one query, the objects being subqueries."""
    collectifs = personne.collectifs_ids
    membres = [m.pk for m in personne.membres]
    instances = [m.pk for m in personne.membres_instance]
    ct = ContentType.objects.get_for_models(
        Declaration,
        DemandeComplements,
        PointOrdreDuJour,
        Seance,
        Convention,
        Versement,
        MiseADisposition,
        FichePratique,
    )
    liens = {
        Declaration: Declaration.objects.filter(collectif_id__in=collectifs).values("pk"),
        DemandeComplements: DemandeComplements.objects.filter(declaration__collectif_id__in=collectifs).values("pk"),
        PointOrdreDuJour: PointOrdreDuJour.objects.filter(
            Q(declaration__collectif_id__in=collectifs) | Q(seance__convoques__in=instances)
        ).values("pk"),
        Seance: Seance.objects.filter(
            Q(points__declaration__collectif_id__in=collectifs) | Q(convoques__in=instances) | Q(presents__in=instances)
        ).values("pk"),
        Convention: Convention.objects.filter(declaration__collectif_id__in=collectifs).values("pk"),
        Versement: Versement.objects.filter(tranche__convention__declaration__collectif_id__in=collectifs).values("pk"),
        MiseADisposition: MiseADisposition.objects.filter(membre_id__in=membres).values("pk"),
        FichePratique: FichePratique.objects.filter(collectif_id__in=collectifs).values("pk"),
    }
    filtre = Q()
    for modele, ids in liens.items():
        filtre |= Q(content_type=ct[modele], object_id__in=ids)
    par_modele: dict[type[models.Model], list[int]] = {}
    for objet in objets:
        par_modele.setdefault(type(objet), []).append(objet.pk)
    if par_modele:
        types = ContentType.objects.get_for_models(*par_modele)
        for modele, pks in par_modele.items():
            filtre |= Q(content_type=types[modele], object_id__in=pks)
    motif = motif_personne(personne)
    if motif:
        filtre |= Q(titre__iregex=motif)
    return Document.objects.filter(filtre, remplace_par__isnull=True).order_by("emis_le", "pk")


def documents_nommant(personne: Personne, objets: Sequence[models.Model] = ()) -> list[Document]:
    """R20: the current documents that name the person: candidates by relation (and about `objets`, rows whose
    free text names them, as the anonymisation finds them), confirmed by their PDF text."""
    motif = motif_personne(personne)
    if not motif:
        return []
    expression = re.compile(motif, re.IGNORECASE)
    nommants = []
    for document in _documents_candidats(personne, objets):
        try:
            texte = texte_du_pdf(document_lire(document))
        except (OSError, ValueError):
            continue  # no file to read (or altered: reported by the documents' own checks)
        if expression.search(texte) or expression.search(document.titre):
            nommants.append(document)
    return nommants


def _ct_declaration() -> ContentType:
    return ContentType.objects.get_for_model(Declaration)


def donnees_de(personne: Personne) -> dict[str, Any]:
    """R20: every row about the person, by kind, as model instances (the export turns them into JSON and PDF).

    A member without an account files nothing and writes nothing: their declarations are those of their
    collectif that listed them, and their journal entries those that name them."""
    compte = personne.compte
    motif = motif_personne(personne)
    membres_ids = [m.pk for m in personne.membres]
    instances_ids = [m.pk for m in personne.membres_instance]
    if compte is not None:
        deposees = TransitionLog.objects.filter(
            content_type=_ct_declaration(), transition="deposer", acteur=compte
        ).values("object_id")
        declarations = list(
            Declaration.objects.filter(pk__in=deposees).select_related("collectif", "campagne").order_by("pk")
        )
        messages = list(Message.objects.filter(auteur=compte).select_related("declaration__collectif"))
        adhesions = list(AdhesionCharte.objects.filter(personne=compte).select_related("charte", "collectif"))
        referent_de = list(Collectif.objects.filter(referents=compte).order_by("nom", "pk"))
        invitations = list(
            Invitation.objects.filter(Q(utilisateur=compte) | Q(email__iexact=compte.email)).order_by("pk")
        )
        invitations_referent = list(
            InvitationReferent.objects.filter(email__iexact=compte.email).select_related("collectif").order_by("pk")
        )
        acces = list(
            AccesFinanceur.objects.filter(Q(utilisateur=compte) | Q(email__iexact=compte.email)).select_related(
                "financeur"
            )
        ) + list(
            AccesEmployeur.objects.filter(Q(utilisateur=compte) | Q(email__iexact=compte.email)).select_related(
                "organisation"
            )
        )
        filtre_journal = Q(acteur=compte)
    else:
        membre = personne.membre
        assert membre is not None
        declarations = [
            d
            for d in Declaration.objects.filter(collectif_id=membre.collectif_id, deposee_le__isnull=False)
            .select_related("collectif", "campagne")
            .order_by("pk")
            if d.deposee_le is not None
            and membre.date_debut <= timezone.localdate(d.deposee_le)
            and (membre.date_fin is None or membre.date_fin >= timezone.localdate(d.deposee_le))
        ]
        messages, adhesions, referent_de, invitations, invitations_referent, acces = [], [], [], [], [], []
        filtre_journal = Q(pk__in=[])
    if motif:
        filtre_journal |= Q(commentaire__iregex=motif)
    consentements = list(
        Consentement.objects.filter(
            Q(membre_id__in=membres_ids) | (Q(saisi_par=compte) if compte is not None else Q(pk__in=[]))
        )
        .select_related("collectif")
        .order_by("pk")
    )
    votes = list(
        Vote.objects.filter(membre_id__in=instances_ids)
        .select_related("point__seance__instance", "point__declaration__collectif", "membre")
        .order_by("pk")
    )
    journal = list(TransitionLog.objects.filter(filtre_journal).select_related("content_type", "acteur").order_by("pk"))
    return {
        "personne": personne,
        "membres": personne.membres,
        "referent_de": referent_de,
        "membres_instance": personne.membres_instance,
        "accompagnateurs": personne.accompagnateurs,
        "jurys": personne.jurys,
        "invitations": invitations,
        "invitations_referent": invitations_referent,
        "acces": acces,
        "declarations": declarations,
        "messages": messages,
        "consentements": consentements,
        "adhesions": adhesions,
        "votes": votes,
        "journal": journal,
        "documents": documents_nommant(personne),
    }
