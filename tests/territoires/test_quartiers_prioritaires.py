"""R17's reference data: the quartiers prioritaires de la politique de la ville (QPV), imported from the ANCT's
official list by `manage.py importer_quartiers_prioritaires` — created, updated, counted; a dry run writes nothing;
a file without the expected columns or with an invalid line is refused whole, in French."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from territoires.models import QuartierPrioritaire
from territoires.services import FICHIER_QUARTIERS_DEMO
from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db

# The shape of the ANCT's file: « ; » separated, more columns than read, INSEE codes protected for spreadsheets
# (="42218"), a quartier over two communes listing both.
LISTE_ANCT = "\r\n".join(
    [
        "code_qp;lib_qp;insee_reg;lib_reg;insee_dep;lib_dep;insee_com;lib_com;siren_epci;lib_epci",
        'QN04201M;Montreynaud;84;Auvergne-Rhône-Alpes;42;Loire;"=""42218""";Saint-Étienne;244200770;Métropole',
        'QN04206L;Firminy-Vert;84;Auvergne-Rhône-Alpes;42;Loire;"=""42095""";Firminy;244200770;Métropole',
        'QN06901X;Les Minguettes;84;Auvergne-Rhône-Alpes;69;Rhône;"=""69259;69199""";"Vénissieux; Saint-Fons";'
        "200046977;Métropole de Lyon",
    ]
)


def _fichier(tmp_path: Path, texte: str, nom: str = "liste.csv", encodage: str = "utf-8") -> Path:
    chemin = tmp_path / nom
    chemin.write_bytes(texte.encode(encodage))
    return chemin


def _importer(chemin: Path, *options: str) -> str:
    sortie = StringIO()
    call_command("importer_quartiers_prioritaires", str(chemin), *options, stdout=sortie)
    return sortie.getvalue()


def _quartiers() -> dict[str, tuple[str, str, str]]:
    return {q.code: (q.nom, q.code_insee, q.departement_id) for q in QuartierPrioritaire.objects.all()}


def test_l_import_cree_les_quartiers_de_la_liste_officielle(tmp_path):
    sortie = _importer(_fichier(tmp_path, LISTE_ANCT))
    assert "Quartiers prioritaires : 3 créés, 0 mis à jour, 0 inchangé." in sortie
    assert _quartiers() == {
        "QN04201M": ("Montreynaud", "42218", "42"),
        "QN04206L": ("Firminy-Vert", "42095", "42"),
        # Over two communes: the first listed is the main one.
        "QN06901X": ("Les Minguettes", "69259", "69"),
    }


def test_l_import_met_a_jour_et_compte_les_inchanges(tmp_path):
    _importer(_fichier(tmp_path, LISTE_ANCT))
    montreynaud = QuartierPrioritaire.objects.get(code="QN04201M")
    nouvelle = LISTE_ANCT.replace(";Montreynaud;", ";Montreynaud - La Marandinière;").replace(
        "QN04206L;Firminy-Vert;", "QN04206L;Firminy Vert - Bas-Mas;"
    )
    nouvelle += "\r\nQN04207D;Le Parc;84;Auvergne-Rhône-Alpes;42;Loire;42187;Roanne;244200770;Roannais"
    sortie = _importer(_fichier(tmp_path, nouvelle, "liste_2.csv"))
    assert "Quartiers prioritaires : 1 créé, 2 mis à jour, 1 inchangé." in sortie
    assert _quartiers()["QN04201M"] == ("Montreynaud - La Marandinière", "42218", "42")
    assert _quartiers()["QN04206L"] == ("Firminy Vert - Bas-Mas", "42095", "42")
    assert _quartiers()["QN04207D"] == ("Le Parc", "42187", "42")
    # Matched on the code: the same row, updated in place.
    assert QuartierPrioritaire.objects.get(code="QN04201M").pk == montreynaud.pk
    # Importing the same file again changes nothing.
    assert "0 créé, 0 mis à jour, 4 inchangés." in _importer(_fichier(tmp_path, nouvelle, "liste_2.csv"))


def test_la_simulation_n_ecrit_rien(tmp_path):
    sortie = _importer(_fichier(tmp_path, LISTE_ANCT), "--dry-run")
    assert "Quartiers prioritaires : 3 créés, 0 mis à jour, 0 inchangé." in sortie
    assert "Simulation : rien n'a été enregistré." in sortie
    assert not QuartierPrioritaire.objects.exists()
    # Nor an update.
    _importer(_fichier(tmp_path, LISTE_ANCT))
    sortie = _importer(_fichier(tmp_path, LISTE_ANCT.replace(";Montreynaud;", ";Autre nom;"), "b.csv"), "--dry-run")
    assert "0 créé, 1 mis à jour, 2 inchangés. Simulation" in sortie
    assert QuartierPrioritaire.objects.get(code="QN04201M").nom == "Montreynaud"


@pytest.mark.parametrize(
    ("entete", "manquantes"),
    [
        ("code_qp;lib_qp;insee_dep", "Colonne manquante dans le fichier : insee_com."),
        ("code;nom;insee_com", "Colonnes manquantes dans le fichier : code_qp, lib_qp."),
    ],
)
def test_une_colonne_manquante_est_refusee(tmp_path, entete, manquantes):
    chemin = _fichier(tmp_path, f"{entete}\nQN04201M;Montreynaud;42218\n")
    with pytest.raises(CommandError) as erreur:
        _importer(chemin)
    assert manquantes in str(erreur.value)
    assert "colonnes code_qp, lib_qp, insee_com (séparées par « ; » ou « , »)" in str(erreur.value)
    assert not QuartierPrioritaire.objects.exists()


def test_virgules_bom_et_windows_1252_sont_acceptes(tmp_path):
    virgules = '\ufeffcode_qp,lib_qp,insee_com\nQN04203C,Crêt de Roc,42218\nQN04205E,"La Cotonne, Montferré",42218\n'
    assert "2 créés" in _importer(_fichier(tmp_path, virgules))
    windows = "code_qp;lib_qp;insee_com\r\nQN04202I;Tarentaize-Beaubrun-Séverine;42218\r\n"
    assert "1 créé" in _importer(_fichier(tmp_path, windows, "windows.csv", "cp1252"))
    assert _quartiers() == {
        "QN04203C": ("Crêt de Roc", "42218", "42"),
        "QN04205E": ("La Cotonne, Montferré", "42218", "42"),
        "QN04202I": ("Tarentaize-Beaubrun-Séverine", "42218", "42"),
    }


def test_une_ligne_invalide_refuse_tout_le_fichier(tmp_path):
    texte = "\n".join(
        [
            "code_qp;lib_qp;insee_com",
            "QN04201M;Montreynaud;42218",
            "QN04201M;Doublon;42218",
            "XX;;4221",
            "QN09999Z;Quartier d'un département inconnu;20001",
        ]
    )
    with pytest.raises(CommandError) as erreur:
        _importer(_fichier(tmp_path, texte))
    message = str(erreur.value)
    assert "Le fichier n'a pas été importé." in message
    assert "ligne 3 : le quartier QN04201M figure déjà ligne 2." in message
    assert "ligne 4 : code de quartier « XX » invalide" in message
    assert "ligne 4 : le nom du quartier manque." in message
    assert "ligne 4 : code INSEE de commune « 4221 » invalide" in message
    assert not QuartierPrioritaire.objects.exists()
    # Well-formed lines of a département that does not exist are refused too.
    with pytest.raises(CommandError) as inconnu:
        _importer(_fichier(tmp_path, "code_qp;lib_qp;insee_com\nQN02099Z;Quartier;20001\n", "inconnu.csv"))
    assert "ligne 2 : département « 20 » inconnu pour le quartier QN02099Z." in str(inconnu.value)
    assert not QuartierPrioritaire.objects.exists()


def test_un_fichier_introuvable_ou_illisible_est_signale(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        _importer(tmp_path / "absent.csv")
    illisible = tmp_path / "image.csv"
    illisible.write_bytes(b"\x81\x8d\x8f\x90\x9d")  # undefined in UTF-8 and in Windows-1252
    with pytest.raises(CommandError, match=r"Le fichier n.est pas un CSV lisible : enregistrez-le en UTF-8\."):
        _importer(illisible)


def test_le_fichier_de_demonstration_s_importe(tmp_path):
    assert "8 créés" in _importer(FICHIER_QUARTIERS_DEMO)
    loire = QuartierPrioritaire.objects.filter(departement_id="42")
    assert loire.count() == 8
    assert set(loire.values_list("code_insee", flat=True)) == {"42218", "42095", "42187", "42186"}
    assert str(QuartierPrioritaire.objects.get(code="QN04201M")) == "Montreynaud (QN04201M)"


def test_l_admin_liste_les_quartiers_en_lecture_seule(client):
    _importer(FICHIER_QUARTIERS_DEMO)
    assert admin.site.is_registered(QuartierPrioritaire)
    client.force_login(UserFactory(email="admin@exemple.fr", is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:territoires_quartierprioritaire_changelist"), {"q": "Montreynaud"})
    assert page.status_code == 200
    assert "QN04201M" in page.content.decode()
    assert "QN04206L" not in page.content.decode()
    assert client.get(reverse("admin:territoires_quartierprioritaire_add")).status_code == 403
