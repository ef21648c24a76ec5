"""R20: anonymising a person on request. Afterwards the old name and e-mail appear in no text column of any model,
in no current document, in no page or API answer about the collectif; the documents that named the person are
re-issued and the old ones keep their row (marked replaced) without their file; counts, totals, votes, the journal
and the ledger are unchanged; the hash chains still verify."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Sum
from django.urls import reverse

from comptes.models import User
from documents.models import Document
from documents.services import document_lire
from fonds.models import EcritureFonds
from instances.models import Vote
from journal.models import Anonymisation, TransitionLog
from journal.verification import verifier
from personnes.selectors import personne_du_compte, personne_du_membre, pseudonyme_code, sans_accents, texte_du_pdf
from personnes.services import personne_anonymiser
from tests.conftest import client_pour
from tests.personnes.monde import construire

pytestmark = pytest.mark.pdf

# Tables an anonymisation writes to (new documents, their numbering, the record itself and its chain).
ECRITES = {"documents.Document", "documents.CompteurDocument", "journal.Anonymisation", "journal.LigneAnonymisee"}


@pytest.fixture
def monde(distribution, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # documents' files are written on commit
        return construire(distribution)


def _normal(texte: str) -> str:
    return " ".join(re.split(r"[\s'’.-]+", sans_accents(texte).lower()))


def _traces(prenom: str, nom: str, email: str = "") -> list[str]:
    p, n = _normal(prenom), _normal(nom)
    return [f"{p} {n}", f"{n} {p}"] + ([email.lower()] if email else [])


def _trouve(texte: str, traces: list[str]) -> bool:
    normal = _normal(texte)
    return any(t in normal or t in texte.lower() for t in traces)


def colonnes_qui_nomment(traces: list[str]) -> list[str]:
    """Every character or text column of every model, read in Python (independent of the service's regex)."""
    trouvees = []
    for modele in apps.get_models():
        champs = [f.attname for f in modele._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        if not champs or modele._meta.proxy or not modele._meta.managed:  # no table (django-rq's dashboard)
            continue
        for ligne in modele._base_manager.values("pk", *champs):
            for champ in champs:
                if isinstance(ligne[champ], str) and _trouve(ligne[champ], traces):
                    trouvees.append(f"{modele._meta.label}#{ligne['pk']}.{champ}")
    return trouvees


def documents_qui_nomment(traces: list[str]) -> list[str]:
    return [
        d.numero
        for d in Document.objects.filter(remplace_par__isnull=True)
        if _trouve(texte_du_pdf(document_lire(d)) + d.titre, traces)
    ]


def instantane() -> dict[str, object]:
    """Row counts of every table but those the anonymisation writes to, the votes by choice, the journal, and the
    ledger's balance per account."""
    comptes = {
        modele._meta.label: modele._base_manager.count()
        for modele in apps.get_models()
        if modele._meta.label not in ECRITES and not modele._meta.proxy and modele._meta.managed
    }
    return {
        "comptes": comptes,
        "votes": sorted(Vote.objects.values_list("point_id", "membre_id", "choix")),
        "journal": sorted(TransitionLog.objects.values_list("pk", "transition", "source", "cible", "acteur_id")),
        "soldes": sorted(EcritureFonds.objects.values("compte").annotate(s=Sum("montant")).values_list("compte", "s")),
    }


def differences(avant: dict[str, object], apres: dict[str, object]) -> dict[str, object]:
    """What changed between two snapshots (table counts one by one, to name the table)."""
    changes: dict[str, object] = {}
    for cle, valeur in avant.items():
        if cle == "comptes":
            assert isinstance(valeur, dict)
            changes |= {t: (n, apres["comptes"][t]) for t, n in valeur.items() if apres["comptes"][t] != n}  # type: ignore[index]
        elif apres[cle] != valeur:
            changes[cle] = (valeur, apres[cle])
    return changes


def pages_qui_nomment(client, monde, traces: list[str]) -> list[str]:
    declaration, collectif = monde.declaration, monde.declaration.collectif
    adresses = [
        reverse("instances:declaration_detail", args=[declaration.pk]),
        reverse("collectifs:collectifs"),
        reverse("collectifs:membres_pour_autrui", args=[collectif.pk]),
        f"/api/v1/collectifs/{collectif.pk}/",
        f"/api/v1/collectifs/{collectif.pk}/membres/",
        f"/api/v1/declarations/{declaration.pk}/",
    ]
    trouvees = []
    for user in (monde.odile, monde.seances.national):
        if not User.objects.get(pk=user.pk).is_active:
            continue
        client.force_login(user)
        for adresse in adresses + (
            [reverse("instances:seance", args=[monde.seances.seance.pk])] if user.est_equipe_nationale else []
        ):
            reponse = client.get(adresse)
            if reponse.status_code == 403:
                continue  # a page this role may not open
            assert reponse.status_code == 200, (adresse, reponse.status_code)
            if _trouve(reponse.content.decode(), traces):
                trouvees.append(f"{user.email} {adresse}")
    return trouvees


def _anonymiser(monde, personne, capture):
    with capture(execute=True):
        return personne_anonymiser(
            acteur=monde.seances.national, personne=personne, motif="Demande écrite reçue le 3 mars."
        )


def test_un_membre_sans_compte_anonymise_n_apparait_plus_nulle_part(client, monde, django_capture_on_commit_callbacks):
    traces = _traces("Théo", "Dupré")
    assert colonnes_qui_nomment(traces) and documents_qui_nomment(traces) and pages_qui_nomment(client, monde, traces)
    recepisse = Document.objects.get(numero__startswith="REC-", object_id=monde.declaration.pk)
    stockage, nom_fichier = recepisse.fichier.storage, recepisse.fichier.name
    assert stockage.exists(nom_fichier)
    avant = instantane()
    personne = personne_du_membre(monde.theo)
    code = pseudonyme_code(personne)

    anonymisation = _anonymiser(monde, personne, django_capture_on_commit_callbacks)

    assert differences(avant, instantane()) == {}  # before the pages below log their visits
    assert colonnes_qui_nomment(traces) == []
    assert documents_qui_nomment(traces) == []
    assert pages_qui_nomment(client, monde, traces) == []
    assert verifier().ok, verifier().erreurs
    # The record says who, why and the pseudonym, not the old name.
    assert anonymisation.pseudonyme == f"Personne {code}" and re.fullmatch(r"[0-9A-F]{4}", code)
    assert anonymisation.acteur == monde.seances.national and "Dupré" not in anonymisation.reference
    # The récépissé is re-issued under a new number; the old row stays, replaced, without its file.
    recepisse = Document.objects.get(pk=recepisse.pk)
    nouveau = recepisse.remplace_par
    assert nouveau is not None and nouveau.numero != recepisse.numero and nouveau.type == recepisse.type
    assert (nouveau.content_type_id, nouveau.object_id) == (recepisse.content_type_id, recepisse.object_id)
    assert not stockage.exists(nom_fichier)
    assert recepisse.sha256 and recepisse.numero.startswith("REC-")
    texte = texte_du_pdf(document_lire(nouveau))
    assert f"Personne {code}" in texte and "Maëlle" in texte  # the other members stay
    membre = type(monde.theo).objects.get(pk=monde.theo.pk)
    assert (membre.prenom, membre.nom, membre.telephone, membre.email) == ("Personne", code, "", "")
    assert TransitionLog.objects.get(transition="retirer").commentaire == f"Départ de Personne {code} du quartier."


def test_un_compte_anonymise_n_apparait_plus_nulle_part(client, monde, django_capture_on_commit_callbacks):
    email = monde.odile.email
    traces = _traces("Odile", "Lefèvre", email)
    assert len(documents_qui_nomment(traces)) == 2  # récépissé and minutes
    avant = instantane()
    personne = personne_du_compte(monde.odile)
    code = pseudonyme_code(personne)

    _anonymiser(monde, personne, django_capture_on_commit_callbacks)

    assert differences(avant, instantane()) == {}  # before the pages below log their visits
    assert colonnes_qui_nomment(traces) == []
    assert documents_qui_nomment(traces) == []
    assert pages_qui_nomment(client, monde, traces) == []
    assert verifier().ok
    compte = User.objects.get(pk=monde.odile.pk)
    assert (compte.prenom, compte.nom, compte.email) == ("Personne", code, f"personne-{code.lower()}@anonyme.invalid")
    assert not compte.is_active and not compte.has_usable_password()
    assert Document.objects.filter(remplace_par__isnull=False).count() == 2
    assert Anonymisation.objects.count() == 1


def test_une_personne_anonymisee_ne_l_est_pas_deux_fois(monde, django_capture_on_commit_callbacks):
    _anonymiser(monde, personne_du_membre(monde.theo), django_capture_on_commit_callbacks)
    theo = type(monde.theo).objects.get(pk=monde.theo.pk)
    with pytest.raises(ValidationError, match="déjà anonymisée"):
        _anonymiser(monde, personne_du_membre(theo), django_capture_on_commit_callbacks)
    assert Anonymisation.objects.count() == 1


def test_le_pseudonyme_est_stable(monde):
    assert pseudonyme_code(personne_du_membre(monde.theo)) == pseudonyme_code(personne_du_membre(monde.theo))
    assert pseudonyme_code(personne_du_membre(monde.theo)) != pseudonyme_code(personne_du_membre(monde.maelle))


@pytest.mark.parametrize("role", ["referent_a", "instructeur_42", "referent_b"])
def test_seule_l_equipe_nationale_anonymise(monde, role):
    with pytest.raises(PermissionDenied):
        personne_anonymiser(acteur=monde.seances.utilisateur(role), personne=personne_du_membre(monde.theo), motif="x")


@pytest.mark.parametrize(
    ("motif", "message"),
    [
        ("  ", "Indiquez le motif"),
        ("Demande de theo DUPRE par courrier", "ne doit citer ni le nom"),
    ],
)
def test_le_motif_est_obligatoire_et_ne_cite_pas_la_personne(monde, motif, message):
    with pytest.raises(ValidationError) as erreur:
        personne_anonymiser(acteur=monde.seances.national, personne=personne_du_membre(monde.theo), motif=motif)
    assert message in erreur.value.message_dict["motif"][0]
    assert Anonymisation.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "attendu"),
    [("anonyme", 302), ("referent_a", 403), ("instructeur_42", 403), ("national", 200)],
)
def test_qui_ouvre_la_page_d_anonymisation(client, monde, role, attendu):
    url = reverse("personnes:membre_anonymiser", args=[monde.theo.pk])
    assert client_pour(client, monde.seances.utilisateur(role)).get(url).status_code == attendu
    assert client.get(reverse("personnes:recherche"), {"q": "Dupré"}).status_code == attendu


def test_la_page_demande_une_confirmation_et_garde_la_saisie(client, monde, django_capture_on_commit_callbacks):
    url = reverse("personnes:membre_anonymiser", args=[monde.theo.pk])
    client_pour(client, monde.seances.national)
    reponse = client.post(url, {"motif": "Demande reçue par courrier."})
    assert reponse.status_code == 422
    page = reponse.content.decode()
    assert "Cochez la case pour confirmer" in page and "Demande reçue par courrier." in page
    assert Anonymisation.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"motif": "Demande reçue par courrier.", "confirmation": "on"})
    assert reponse.status_code == 302 and reponse["Location"] == reverse("personnes:recherche")
    assert Anonymisation.objects.get().motif == "Demande reçue par courrier."


def test_la_recherche_nationale_trouve_comptes_et_membres(client, monde):
    page = client_pour(client, monde.seances.national).get(reverse("personnes:recherche"), {"q": "Dupré"})
    contenu = page.content.decode()
    assert reverse("personnes:membre_anonymiser", args=[monde.theo.pk]) in contenu
    page = client.get(reverse("personnes:recherche"), {"q": "lefèvre"}).content.decode()
    assert reverse("personnes:compte_anonymiser", args=[monde.odile.pk]) in page


def test_la_recherche_ignore_accents_et_casse(client, monde):
    client_pour(client, monde.seances.national)
    for texte in ("dupre", "DUPRE", "theo dupre", "Théo"):
        page = client.get(reverse("personnes:recherche"), {"q": texte}).content.decode()
        assert reverse("personnes:membre_anonymiser", args=[monde.theo.pk]) in page, texte
    page = client.get(reverse("personnes:recherche"), {"q": "lefevre odile"}).content.decode()
    assert reverse("personnes:compte_anonymiser", args=[monde.odile.pk]) in page
    page = client.get(reverse("personnes:recherche"), {"q": "durand"}).content.decode()
    assert reverse("personnes:membre_anonymiser", args=[monde.theo.pk]) not in page
