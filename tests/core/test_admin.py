"""The admin reads every model (R19): each registered model's list and one object's page open for a superuser, on
the demo data (signed conventions, tranches, check-ins, secondments, journal entries, proxy entries' consent);
audited models refuse adding, changing and deleting there (they change through their services)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, RequestFactory
from django.urls import reverse

from core.admin import LectureSeuleAdmin
from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db

# Our apps; the others (django, DSFR, axes…) keep their own admin.
APPS = {
    "collectifs",
    "campagnes",
    "documents",
    "fonds",
    "instances",
    "journal",
    "mutualisation",
    "territoires",
    "workflow",
}
# Reference data and set-up made by people in the admin (départements, instances, accompagnateurs, charters,
# organisations): add and change allowed.
MODIFIABLES = {"theme", "departement", "instancedepartementale", "accompagnateur", "charte", "organisation"}


@pytest.fixture
def superuser_client(db) -> Client:
    call_command("demo", "--force", stdout=StringIO(), stderr=StringIO())
    client = Client()
    client.force_login(UserFactory(email="admin@exemple.fr", is_staff=True, is_superuser=True))
    return client


def test_chaque_modele_enregistre_s_ouvre_dans_l_admin(superuser_client):
    vides = []
    for modele in admin.site._registry:
        meta = modele._meta
        liste = superuser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        assert liste.status_code == 200, meta.label
        objet = modele._default_manager.order_by("pk").first()
        if objet is None:
            vides.append(meta.label)
            continue
        page = superuser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[objet.pk]))
        assert page.status_code == 200, meta.label
    # The world covers the models of the fund, the three years and the journal: they all have an object page.
    for label in ("fonds.Convention", "fonds.BilanAnnuel", "fonds.MiseADisposition", "fonds.Versement"):
        assert label not in vides
    for label in ("instances.EntreeJournal", "collectifs.Consentement", "fonds.AccesEmployeur"):
        assert label not in vides


def test_les_modeles_audites_se_lisent_seulement():
    requete = RequestFactory().get("/admin/")
    requete.user = UserFactory.build(is_staff=True, is_superuser=True)
    for modele, modele_admin in admin.site._registry.items():
        if modele._meta.model_name in MODIFIABLES or modele._meta.app_label not in APPS:
            continue
        assert isinstance(modele_admin, LectureSeuleAdmin), modele._meta.label
        assert not modele_admin.has_add_permission(requete), modele._meta.label
        assert not modele_admin.has_delete_permission(requete), modele._meta.label
