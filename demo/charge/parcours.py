"""The load test's journeys and runner: N virtual users per role loop over their journey for a fixed time.

Standard library only (threads, http.client), so that nothing is installed to run it:

    python -m demo.charge.parcours --duree 120 --utilisateurs-par-role 5 --base http://127.0.0.1:8000

The accounts come from `manage.py charge_preparer` (password in CHARGE_MOT_DE_PASSE). Each request is timed per
journey step; an error is an HTTP status ≥ 500, a 4xx the step did not expect, a timeout or a refused connection.
The report (in French, Markdown) is printed and, with --rapport, written to a file; the exit code is 1 when there
was any error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import re
import statistics
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from demo.charge import DEPARTEMENT, PREFIXE_COLLECTIF, ROLES, VARIABLE_MOT_DE_PASSE, email_de

DELAI_REQUETE = 30.0  # seconds before a request counts as a timeout
PAUSE_SANS_TRAVAIL = 0.5  # seconds an instructeur or a payer waits when there is nothing to do
RECHERCHES = ("jardin", "cuisine partagée", "mobilité", "numérique", "habitants", "santé", "logement", "jeunes")
OK = frozenset({200, 201, 204, 302})

MEMBRES = [
    ("ELU_RESPONSABLE", "Gaëlle", "Fournier", {"nom": "Mairie de Saint-Étienne", "siret": "21420218600018"}),
    ("PROFESSIONNEL", "Karim", "Benali", {"nom": "Centre social de Montreynaud"}),
    ("PROFESSIONNEL", "Sophie", "Martin", {"nom": "CCAS de Saint-Étienne"}),
    ("HABITANT", "Mireille", "Chapuis", {"nom": "Amicale des locataires", "rna": "W423001234"}),
    ("HABITANT", "Ousmane", "Traoré", None),
]


class ErreurDeParcours(Exception):
    """A step answered something the journey cannot go on with (already counted as an error)."""


# --- Measures -------------------------------------------------------------------------------------------------------


@dataclass
class Mesures:
    """Every timing and error of a run, shared by the threads (under one lock)."""

    durees: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    erreurs: list[str] = field(default_factory=list)
    nombre_erreurs: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    parcours: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    sans_travail: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    actions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    verrou: threading.Lock = field(default_factory=threading.Lock)

    def duree(self, role: str, etape: str, secondes: float) -> None:
        with self.verrou:
            self.durees[(role, etape)].append(secondes)

    def erreur(self, role: str, genre: str, message: str) -> None:
        with self.verrou:
            self.nombre_erreurs[genre] += 1
            if len(self.erreurs) < 50:  # the first ones are enough to understand
                self.erreurs.append(f"{role} : {message}")

    def compter(self, table: dict[str, int], cle: str) -> None:
        with self.verrou:
            table[cle] += 1

    @property
    def total_erreurs(self) -> int:
        return sum(self.nombre_erreurs.values())

    @property
    def total_requetes(self) -> int:
        return sum(len(d) for d in self.durees.values())


def centile(valeurs: list[float], rang: float) -> float:
    """The nearest-rank percentile of a non-empty list."""
    triees = sorted(valeurs)
    return triees[max(0, min(len(triees) - 1, math.ceil(rang / 100 * len(triees)) - 1))]


# --- One virtual user's HTTP client -----------------------------------------------------------------------------


@dataclass
class Reponse:
    statut: int
    entetes: dict[str, str]
    corps: bytes

    @property
    def texte(self) -> str:
        return self.corps.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.corps)


class Client:
    """One virtual user: its cookies (kept by hand: the production cookies are `Secure`, the loopback is plain
    HTTP), its API token, and a new connection per request, as gunicorn's sync workers close them anyway."""

    def __init__(self, base: str, role: str, mesures: Mesures) -> None:
        url = urllib.parse.urlsplit(base)
        self.hote, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.role, self.mesures = role, mesures
        self.cookies: dict[str, str] = {}
        self.jeton = ""

    def requete(
        self,
        etape: str,
        methode: str,
        chemin: str,
        *,
        formulaire: dict[str, str] | None = None,
        corps_json: Any = None,
        attendus: frozenset[int] = OK,
    ) -> Reponse:
        """Send one request, time it under `etape`, and raise ErreurDeParcours on an unexpected answer."""
        entetes = {"Host": f"{self.hote}:{self.port}", "Accept-Language": "fr"}
        corps: bytes | None = None
        if formulaire is not None:
            champs = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **formulaire}
            corps = urllib.parse.urlencode(champs).encode()
            entetes["Content-Type"] = "application/x-www-form-urlencoded"
        elif corps_json is not None:
            corps = json.dumps(corps_json).encode()
            entetes["Content-Type"] = "application/json"
        if chemin.startswith("/api/"):
            entetes["Accept"] = "application/json"
            if self.jeton:
                entetes["Authorization"] = f"Token {self.jeton}"
            elif methode != "GET":
                entetes["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if self.cookies and not self.jeton:
            entetes["Cookie"] = "; ".join(f"{nom}={valeur}" for nom, valeur in self.cookies.items())
        debut = time.perf_counter()
        connexion = http.client.HTTPConnection(self.hote, self.port, timeout=DELAI_REQUETE)
        try:
            connexion.request(methode, chemin, body=corps, headers=entetes)
            brute = connexion.getresponse()
            reponse = Reponse(brute.status, {k.lower(): v for k, v in brute.getheaders()}, brute.read())
            for valeur in brute.headers.get_all("Set-Cookie") or []:
                for nom, morceau in SimpleCookie(valeur).items():
                    self.cookies[nom] = morceau.value
        except TimeoutError as erreur:
            self.mesures.erreur(self.role, "délai dépassé", f"{etape} {methode} {chemin} : {erreur}")
            raise ErreurDeParcours(etape) from erreur
        except OSError as erreur:
            self.mesures.erreur(self.role, "connexion", f"{etape} {methode} {chemin} : {erreur}")
            raise ErreurDeParcours(etape) from erreur
        finally:
            connexion.close()
        self.mesures.duree(self.role, etape, time.perf_counter() - debut)
        if reponse.statut >= 500:
            self.mesures.erreur(self.role, "HTTP ≥ 500", f"{etape} {methode} {chemin} → {reponse.statut}")
            raise ErreurDeParcours(etape)
        if reponse.statut not in attendus:
            extrait = extrait_erreur(reponse)
            self.mesures.erreur(
                self.role, "4xx inattendu", f"{etape} {methode} {chemin} → {reponse.statut} : {extrait}"
            )
            raise ErreurDeParcours(etape)
        return reponse

    def se_connecter(self, email: str, mot_de_passe: str) -> None:
        """The login form, with its CSRF token (comptes.views.ConnexionView)."""
        self.requete("connexion (formulaire)", "GET", "/compte/connexion/")
        reponse = self.requete(
            "connexion (envoi)",
            "POST",
            "/compte/connexion/",
            formulaire={"username": email, "password": mot_de_passe},
            attendus=frozenset({302}),
        )
        if "/compte/connexion/" in reponse.entetes.get("location", ""):
            self.mesures.erreur(self.role, "4xx inattendu", f"connexion refusée pour {email}")
            raise ErreurDeParcours("connexion")


def extrait_erreur(reponse: Reponse) -> str:
    """What a refused answer says: the error messages of an HTML page (DSFR alerts and field errors), or the start
    of the body."""
    messages = re.findall(
        r'class="[^"]*fr-(?:alert__title|error-text|message--error)[^"]*"[^>]*>(.*?)</', reponse.texte, re.S
    )
    texte = " ; ".join(m for m in (re.sub(r"<[^>]+>|\s+", " ", m).strip() for m in messages) if m)
    return texte or re.sub(r"\s+", " ", reponse.texte[:300])


def liens(page: Reponse, motif: str) -> list[int]:
    """The identifiers found in the page's links that match `motif` (with one group), in order, once each."""
    return list(dict.fromkeys(int(n) for n in re.findall(motif, page.texte)))


def valeur_champ(page: Reponse, nom: str) -> str:
    """The value of a form field in the page, or the empty string."""
    trouve = re.search(rf'name="{re.escape(nom)}"[^>]*value="([^"]*)"', page.texte) or re.search(
        rf'value="([^"]*)"[^>]*name="{re.escape(nom)}"', page.texte
    )
    return trouve.group(1) if trouve else ""


# --- The journeys -------------------------------------------------------------------------------------------------
# Each takes the virtual user's client, its rank (from 0) among its role's users, the number of users of that role,
# and the loop's number; each loop is one journey. Users of one role split the work by identifier (pk % n == rank),
# so that two of them never race for the same declaration or tranche: the rules under contention are the quota,
# the envelopes and the numbering, shared by everyone.


def parcours_referent(client: Client, rang: int, nombre: int, tour: int) -> None:
    """R1, R2: create a collectif, add its members, fill the declaration, accept the charter, file it (API)."""
    nom = f"{PREFIXE_COLLECTIF} {rang + 1}-{tour} {time.monotonic_ns() % 1_000_000}"
    cree = client.requete(
        "créer le collectif",
        "POST",
        "/api/v1/collectifs/",
        corps_json={
            "nom": nom,
            "departement": DEPARTEMENT,
            "territoire": "Quartier de la Cotonne, Saint-Étienne",
            "institutions_origine": [{"nom": "Centre social de la Cotonne"}],
        },
        attendus=frozenset({201}),
    ).json()
    collectif, brouillon = cree["id"], cree["brouillon"]
    for college, prenom, nom_membre, organisation in MEMBRES:
        client.requete(
            "ajouter un membre",
            "POST",
            f"/api/v1/collectifs/{collectif}/membres/",
            corps_json={
                "college": college,
                "prenom": prenom,
                "nom": nom_membre,
                "consentement": True,
                "organisation": organisation,
            },
            attendus=frozenset({201}),
        )
    client.requete("composition", "GET", f"/api/v1/collectifs/{collectif}/composition/")
    declaration = f"/api/v1/declarations/{brouillon}/"
    client.requete(
        "remplir la déclaration",
        "PATCH",
        declaration,
        corps_json={
            "dynamique_preexistante": "Depuis 2022, le centre social, la mairie et l'amicale se réunissent.",
            "projet": "Une cuisine partagée au pied des immeubles.",
            "additionnalite": "Aucune des structures ne porterait seule la cuisine.",
        },
    )
    client.requete(
        "indicateurs",
        "PUT",
        declaration + "indicateurs/",
        corps_json={"indicateurs": [{"libelle": "Paroles d'habitant·es sur la cuisine"}]},
    )
    client.requete("accepter la charte", "POST", declaration + "accepter-charte/")
    conditions = client.requete("conditions de dépôt", "GET", declaration + "conditions/").json()
    if not conditions.get("peut_deposer"):
        client.mesures.erreur(client.role, "4xx inattendu", f"dépôt impossible : {conditions.get('erreurs')}")
        raise ErreurDeParcours("conditions de dépôt")
    client.requete("déposer (récépissé)", "POST", declaration + "deposer/", attendus=frozenset({201}))
    client.mesures.compter(client.mesures.actions, "déclarations déposées")
    client.requete("mes déclarations", "GET", "/api/v1/declarations/")


def parcours_instructeur(client: Client, rang: int, nombre: int, tour: int) -> bool:
    """R4: the task list, then one filed declaration of the load test: take it in charge, declare it recevable."""
    client.requete("liste des tâches", "GET", "/taches/")
    deposees = client.requete("déclarations déposées (API)", "GET", "/api/v1/declarations/?etat=deposee").json()
    candidates = [
        d["id"]
        for d in deposees["results"]
        if d["collectif_nom"].startswith(PREFIXE_COLLECTIF) and d["id"] % nombre == rang
    ]
    if not candidates:
        return False
    pk = candidates[0]
    tache = f"/taches/declarations/{pk}/"
    client.requete("ouvrir la tâche", "GET", tache)
    client.requete("prendre en charge", "POST", tache + "prendre-en-charge/", formulaire={}, attendus=frozenset({302}))
    client.requete("ouvrir la tâche", "GET", tache)
    client.requete("déclarer recevable", "POST", tache + "recevable/", formulaire={}, attendus=frozenset({302}))
    client.mesures.compter(client.mesures.actions, "déclarations déclarées recevables")
    return True


def parcours_seance(client: Client, rang: int, nombre: int, tour: int) -> None:
    """R5: the instances, the Loire instance and its séances, one séance page."""
    liste = client.requete("instances", "GET", "/campagnes/instances/")
    instances = liens(liste, r'href="/campagnes/instances/(\d+)/"')
    if liste.statut == 302:
        instances = [int(n) for n in re.findall(r"/campagnes/instances/(\d+)/", liste.entetes.get("location", ""))]
    if not instances:
        client.mesures.erreur(client.role, "4xx inattendu", "aucune instance visible")
        raise ErreurDeParcours("instances")
    instance = client.requete("instance", "GET", f"/campagnes/instances/{instances[0]}/")
    seances = liens(instance, r'href="/campagnes/seances/(\d+)/"')
    for pk in seances[tour % len(seances) :][:1] if seances else []:
        client.requete("séance", "GET", f"/campagnes/seances/{pk}/")


def parcours_paiement(client: Client, rang: int, nombre: int, tour: int) -> bool:
    """R7: conventions and payments lists, one convention; a payable tranche of it is paid (once: R7)."""
    conventions = liens(
        client.requete("conventions", "GET", "/fonds/conventions/"), r'href="/fonds/conventions/(\d+)/"'
    )
    client.requete("versements", "GET", "/fonds/versements/")
    miennes = [pk for pk in conventions if pk % nombre == rang]
    if not miennes:
        return False
    pk = miennes[tour % len(miennes)]
    page = client.requete("convention", "GET", f"/fonds/conventions/{pk}/")
    tranches = liens(page, rf'action="/fonds/conventions/{pk}/tranches/(\d+)/versement/"')
    if not tranches:
        return False
    prefixe = f"tranche-{tranches[0]}"
    client.requete(
        "enregistrer un versement",
        "POST",
        f"/fonds/conventions/{pk}/tranches/{tranches[0]}/versement/",
        formulaire={
            # The form's own default: the server's business date (Europe/Paris), not the client's.
            f"{prefixe}-date_versement": valeur_champ(page, f"{prefixe}-date_versement"),
            f"{prefixe}-montant": valeur_champ(page, f"{prefixe}-montant"),
            f"{prefixe}-reference_bancaire": f"VIR-CHARGE-{pk}-{tranches[0]}",
        },
        attendus=frozenset({302}),
    )
    client.mesures.compter(client.mesures.actions, "versements enregistrés")
    return True


def parcours_catalogue(client: Client, rang: int, nombre: int, tour: int) -> None:
    """R14: the public catalogue, anonymous: one search, then one practice sheet of the results."""
    terme = RECHERCHES[(rang + tour) % len(RECHERCHES)]
    resultats = client.requete("recherche", "GET", "/pratiques/?" + urllib.parse.urlencode({"q": terme}))
    fiches = liens(resultats, r'href="/pratiques/(\d+)/"')
    if not fiches:
        fiches = liens(client.requete("catalogue", "GET", "/pratiques/"), r'href="/pratiques/(\d+)/"')
    if fiches:
        client.requete("fiche pratique", "GET", f"/pratiques/{fiches[tour % len(fiches)]}/")


PARCOURS: dict[str, Callable[[Client, int, int, int], bool | None]] = {
    "referent": parcours_referent,
    "instructeur": parcours_instructeur,
    "seance": parcours_seance,
    "paiement": parcours_paiement,
    "catalogue": parcours_catalogue,
}
LIBELLES = {
    "referent": "Référent·e : dépôt",
    "instructeur": "Instructeur·rice : instruction",
    "seance": "Membre d'instance : séances",
    "paiement": "Paiement : conventions et versements",
    "catalogue": "Catalogue : recherche (anonyme)",
}


# --- The runner ---------------------------------------------------------------------------------------------------


class UtilisateurVirtuel:
    """One virtual user of a role: logs in once, then does its journey once per `tour()`."""

    def __init__(self, base: str, role: str, rang: int, nombre: int, mesures: Mesures) -> None:
        self.client = Client(base, role, mesures)
        self.role, self.rang, self.nombre, self.mesures = role, rang, nombre, mesures
        self.numero = 0
        self.pret = False

    def demarrer(self, mot_de_passe: str) -> bool:
        """Log in (and take an API token for the référents); False when that failed (already counted)."""
        try:
            if self.role != "catalogue":
                self.client.se_connecter(email_de(self.role, self.rang + 1), mot_de_passe)
            if self.role == "referent":
                jeton = self.client.requete("jeton d'API", "POST", "/api/v1/compte/jeton/", attendus=frozenset({201}))
                self.client.jeton = jeton.json()["cle"]
        except ErreurDeParcours:
            return False
        self.pret = True
        return True

    def tour(self) -> bool:
        """One journey; False when it failed or had nothing to do (the caller may pause before the next)."""
        numero, self.numero = self.numero, self.numero + 1
        try:
            fait = PARCOURS[self.role](self.client, self.rang, self.nombre, numero)
        except ErreurDeParcours:
            return False  # counted
        except (KeyError, ValueError) as erreur:  # an answer that is not what the journey reads
            self.mesures.erreur(self.role, "réponse illisible", f"{type(erreur).__name__} : {erreur}")
            return False
        self.mesures.compter(self.mesures.parcours, self.role)
        if fait is False:
            self.mesures.compter(self.mesures.sans_travail, self.role)
            return False
        return True


def _en_boucle(utilisateur: UtilisateurVirtuel, mot_de_passe: str, fin: float) -> None:
    if not utilisateur.demarrer(mot_de_passe):
        return
    while time.monotonic() < fin:
        if not utilisateur.tour():
            time.sleep(PAUSE_SANS_TRAVAIL)  # do not spin on a failing step or an empty queue


def executer(
    base: str, duree: float, utilisateurs_par_role: int, mot_de_passe: str, *, en_serie: bool = False
) -> tuple[Mesures, float]:
    """Run every role's virtual users for `duree` seconds; return the measures and the time really taken.

    `en_serie`: one thread takes the users' journeys in turn (a test server that serves one request at a time,
    such as SQLite's in-memory test database); otherwise each user is a thread."""
    mesures = Mesures()
    debut = time.monotonic()
    fin = debut + duree
    utilisateurs = [
        UtilisateurVirtuel(base, role, rang, utilisateurs_par_role, mesures)
        for role in ROLES
        for rang in range(utilisateurs_par_role)
    ]
    if en_serie:
        prets = [u for u in utilisateurs if u.demarrer(mot_de_passe)]
        while prets and time.monotonic() < fin:
            for utilisateur in prets:
                utilisateur.tour()
        return mesures, time.monotonic() - debut
    fils = [
        threading.Thread(target=_en_boucle, args=(u, mot_de_passe, fin), name=f"{u.role}-{u.rang + 1}", daemon=True)
        for u in utilisateurs
    ]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=max(0.0, fin - time.monotonic()) + 2 * DELAI_REQUETE + 10)
    return mesures, time.monotonic() - debut


def rapport(mesures: Mesures, duree_reelle: float, utilisateurs_par_role: int, base: str) -> str:
    """The run in French, as Markdown: journeys, throughput, p50/p95 per step, errors."""
    ms = 1000
    lignes = [
        "## Charge",
        "",
        f"- Serveur : {base} ; {utilisateurs_par_role} utilisateur·rices virtuel·les par rôle, "
        f"{len(ROLES)} rôles ; durée : {duree_reelle:.0f} s.",
        f"- Requêtes : {mesures.total_requetes}, soit {mesures.total_requetes / duree_reelle:.1f} requêtes/s.",
        f"- Erreurs : {mesures.total_erreurs}"
        + (
            " (" + ", ".join(f"{genre} : {n}" for genre, n in sorted(mesures.nombre_erreurs.items())) + ")"
            if mesures.total_erreurs
            else ""
        )
        + ".",
    ]
    for action, nombre in sorted(mesures.actions.items()):
        lignes.append(f"- {action.capitalize()} : {nombre}.")
    lignes += ["", "| Parcours | Parcours faits | dont sans travail | Requêtes |", "|---|---:|---:|---:|"]
    for role in ROLES:
        requetes = sum(len(d) for (r, _), d in mesures.durees.items() if r == role)
        lignes.append(
            f"| {LIBELLES[role]} | {mesures.parcours.get(role, 0)} | {mesures.sans_travail.get(role, 0)} | {requetes} |"
        )
    lignes += ["", "| Parcours | Étape | Requêtes | p50 (ms) | p95 (ms) | max (ms) |", "|---|---|---:|---:|---:|---:|"]
    for (role, etape), durees in sorted(mesures.durees.items(), key=lambda e: (ROLES.index(e[0][0]), e[0][1])):
        lignes.append(
            f"| {LIBELLES[role]} | {etape} | {len(durees)} | {statistics.median(durees) * ms:.0f} "
            f"| {centile(durees, 95) * ms:.0f} | {max(durees) * ms:.0f} |"
        )
    if mesures.erreurs:
        lignes += ["", "Premières erreurs :", ""] + [f"- {e}" for e in mesures.erreurs]
    return "\n".join(lignes) + "\n"


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Test de charge borné des parcours de Collectifs DS.")
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="Adresse du serveur (boucle locale).")
    parser.add_argument("--duree", type=float, default=120, help="Durée de la charge, en secondes.")
    parser.add_argument("--utilisateurs-par-role", type=int, default=5)
    parser.add_argument("--rapport", default="", help="Fichier où écrire le rapport (Markdown).")
    options = parser.parse_args(arguments)
    hote = urllib.parse.urlsplit(options.base).hostname
    if hote not in {"127.0.0.1", "localhost", "::1"}:
        parser.error("le test de charge ne vise que la boucle locale (127.0.0.1).")
    mot_de_passe = os.environ.get(VARIABLE_MOT_DE_PASSE, "")
    if not mot_de_passe:
        parser.error(f"{VARIABLE_MOT_DE_PASSE} doit donner le mot de passe des comptes de charge_preparer.")
    mesures, duree = executer(options.base, options.duree, options.utilisateurs_par_role, mot_de_passe)
    texte = rapport(mesures, duree, options.utilisateurs_par_role, options.base)
    sys.stdout.write(texte)
    if options.rapport:
        with open(options.rapport, "a", encoding="utf-8") as fichier:
            fichier.write(texte + "\n")
    return 1 if mesures.total_erreurs else 0


if __name__ == "__main__":
    sys.exit(main())
