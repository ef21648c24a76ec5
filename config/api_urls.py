"""The REST API under /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from campagnes.api import CampagneViewSet
from collectifs.api import CollectifViewSet, MembreViewSet
from comptes.api import JetonView
from fonds.api import (
    AbondementViewSet,
    ConventionViewSet,
    EcritureViewSet,
    EnveloppeViewSet,
    FinanceurViewSet,
    FondsViewSet,
    TrancheViewSet,
    VersementViewSet,
)
from fonds.api.bilans import BilanViewSet
from fonds.api.mises_a_disposition import MiseADispositionViewSet
from instances.api import DeclarationViewSet, EntreeJournalViewSet, InstanceViewSet, PointViewSet, SeanceViewSet
from instances.api.administration import (
    AccompagnateurAdministrationViewSet,
    InstanceAdministrationViewSet,
    InstructeurAdministrationViewSet,
    InvitationViewSet,
    MembreAdministrationViewSet,
)
from mutualisation.api.fiches import FicheViewSet, PratiqueViewSet
from mutualisation.api.prix import PrixViewSet
from mutualisation.api.rencontres import RencontreViewSet
from mutualisation.api.syntheses import RapportViewSet, SyntheseViewSet
from personnes.api import ComptePersonneViewSet, MembrePersonneViewSet, MesDonneesViewSet
from territoires.api import DepartementViewSet


class Routeur(DefaultRouter):
    """Browsable root at /api/v1/; no `.json` suffix routes (one URL per resource)."""

    include_format_suffixes = False


routeur = Routeur()
routeur.register("departements", DepartementViewSet, basename="departement")
routeur.register("campagnes", CampagneViewSet, basename="campagne")
routeur.register("collectifs", CollectifViewSet, basename="collectif")
routeur.register(r"collectifs/(?P<collectif_pk>[0-9]+)/membres", MembreViewSet, basename="membre")
routeur.register(r"collectifs/(?P<collectif_pk>[0-9]+)/journal", EntreeJournalViewSet, basename="entree-journal")
routeur.register("declarations", DeclarationViewSet, basename="declaration")
routeur.register("instances", InstanceViewSet, basename="instance")
routeur.register("seances", SeanceViewSet, basename="seance")
routeur.register(r"seances/(?P<seance_pk>[0-9]+)/points", PointViewSet, basename="point")
routeur.register("fonds", FondsViewSet, basename="fonds")
routeur.register("financeurs", FinanceurViewSet, basename="financeur")
routeur.register("abondements", AbondementViewSet, basename="abondement")
routeur.register("enveloppes", EnveloppeViewSet, basename="enveloppe")
routeur.register("ecritures", EcritureViewSet, basename="ecriture")
routeur.register("conventions", ConventionViewSet, basename="convention")
routeur.register("tranches", TrancheViewSet, basename="tranche")
routeur.register("versements", VersementViewSet, basename="versement")
routeur.register("mises-a-disposition", MiseADispositionViewSet, basename="mise-a-disposition")
routeur.register("bilans", BilanViewSet, basename="bilan")
routeur.register("syntheses", SyntheseViewSet, basename="synthese")
routeur.register("rapports", RapportViewSet, basename="rapport")
routeur.register("fiches", FicheViewSet, basename="fiche")
routeur.register("pratiques", PratiqueViewSet, basename="pratique")
routeur.register("rencontres", RencontreViewSet, basename="rencontre")
routeur.register("prix", PrixViewSet, basename="prix")
# Administration of the instances and of the départements' staff (issue 11)
routeur.register("administration/instances", InstanceAdministrationViewSet, basename="administration-instance")
routeur.register(
    r"administration/instances/(?P<instance_pk>[0-9]+)/membres",
    MembreAdministrationViewSet,
    basename="administration-membre",
)
routeur.register(
    "administration/accompagnateurs", AccompagnateurAdministrationViewSet, basename="administration-accompagnateur"
)
routeur.register("administration/invitations", InvitationViewSet, basename="administration-invitation")
routeur.register(
    r"administration/departements/(?P<departement_code>[^/.]+)/instructeurs",
    InstructeurAdministrationViewSet,
    basename="administration-instructeur",
)
# A person's data: export and anonymisation (R20, issue 12)
routeur.register("personnes/moi", MesDonneesViewSet, basename="personnes-moi")
routeur.register("personnes/membres", MembrePersonneViewSet, basename="personnes-membre")
routeur.register("personnes/comptes", ComptePersonneViewSet, basename="personnes-compte")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its init script from our origin: no inline script, so the CSP holds.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("compte/jeton/", JetonView.as_view(), name="compte-jeton"),
    *routeur.urls,
]
