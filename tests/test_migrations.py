"""The layers issue moved tables between apps (Campagne → campagnes, Instructeur → comptes, TransitionLog →
journal). A database created before it must migrate forward without losing a row, and the journal rows must
still point at their objects (their content types follow the models)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from campagnes.models import Campagne
from comptes.models import Instructeur
from journal.models import TransitionLog

# The last migrations before the move, and the apps created by it (None: none of their migrations applied).
AVANT = [
    ("instances", "0002_instance_seances_votes_accompagnateurs"),
    ("collectifs", "0003_instruction_complements_messages"),
    ("comptes", "0001_initial"),
    ("workflow", "0002_processus_declaration"),
    ("campagnes", None),
    ("journal", None),
]


def _migrer(cibles: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(cibles)
    return executor


# Migrations run outside a transaction; the rows the data migrations loaded (départements, content types) are
# restored afterwards for the tests that follow in the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_une_base_d_avant_les_couches_migre_sans_perdre_une_ligne():
    anciennes = _migrer(AVANT).loader.project_state([noeud for noeud in AVANT if noeud[1]]).apps
    User = anciennes.get_model("comptes", "User")
    Departement = anciennes.get_model("territoires", "Departement")
    AncienneCampagne = anciennes.get_model("instances", "Campagne")
    AncienInstructeur = anciennes.get_model("instances", "Instructeur")
    AncienJournal = anciennes.get_model("workflow", "TransitionLog")
    AncienType = anciennes.get_model("contenttypes", "ContentType")

    loire = Departement.objects.get(code="42")
    claire = User.objects.create(email="claire.migration@exemple.fr", prenom="Claire", nom="Dumas")
    instructeur = AncienInstructeur.objects.create(user=claire)
    instructeur.departements.add(loire)
    campagne = AncienneCampagne.objects.create(
        departement=loire,
        annee=2031,
        quota=3,
        enveloppe_annuelle=Decimal("30000.00"),
        montant_minimal_annuel=Decimal("5000.00"),
        date_ouverture=datetime.date(2031, 1, 15),
        date_cloture=datetime.date(2031, 6, 30),
        etat="ouverte",
    )
    type_campagne, _ = AncienType.objects.get_or_create(app_label="instances", model="campagne")
    AncienJournal.objects.create(
        content_type=type_campagne,
        object_id=campagne.pk,
        transition="ouvrir",
        source="preparation",
        cible="ouverte",
        acteur=claire,
        horodatage=timezone.now(),
    )

    executor = MigrationExecutor(connection)
    _migrer(executor.loader.graph.leaf_nodes())

    migree = Campagne.objects.get(pk=campagne.pk)
    assert (migree.departement_id, migree.annee, migree.quota, migree.etat) == ("42", 2031, 3, "ouverte")
    assert migree.enveloppe_annuelle == Decimal("30000.00")
    assert list(Instructeur.objects.get(pk=instructeur.pk).departements.values_list("code", flat=True)) == ["42"]
    ligne = TransitionLog.objects.get(object_id=campagne.pk, transition="ouvrir")
    assert ligne.content_type.app_label == "campagnes"
    assert ligne.objet == migree
    assert ligne.acteur.email == "claire.migration@exemple.fr"
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_les_organisations_en_double_sont_fusionnees_avant_l_unicite():
    """Organisations created twice (same RNA) before the unique constraints: the migration keeps the oldest and
    moves every reference to it (a member, a collectif's institutions of origin, without a duplicate link)."""
    avant = [("collectifs", "0009_quartiers_prioritaires_des_collectifs")]
    anciennes = _migrer(avant).loader.project_state(avant).apps
    Organisation = anciennes.get_model("collectifs", "Organisation")
    Collectif = anciennes.get_model("collectifs", "Collectif")
    Membre = anciennes.get_model("collectifs", "Membre")
    premiere, seconde = (Organisation.objects.create(nom="Amicale laïque", rna="W423001234") for _ in range(2))
    autre = Organisation.objects.create(nom="Centre social", rna="W423009999")
    collectif = Collectif.objects.create(nom="Collectif de la fusion", departement_id="42", territoire="Quartier")
    collectif.institutions_origine.add(premiere, seconde, autre)
    membre = Membre.objects.create(
        collectif=collectif, college="habitant", prenom="Aïcha", nom="Benali", organisation=seconde
    )

    _migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert sorted(Organisation.objects.values_list("pk", flat=True)) == [premiere.pk, autre.pk]
    assert sorted(collectif.institutions_origine.values_list("pk", flat=True)) == [premiere.pk, autre.pk]
    membre.refresh_from_db()
    assert membre.organisation_id == premiere.pk
    ContentType.objects.clear_cache()
