import factory
from django.utils import timezone

from collectifs.enums import College, EtatDeclaration
from collectifs.models import AdhesionCharte, Charte, Collectif, Declaration, Membre, Organisation, cle_personne
from territoires.models import Departement
from tests.comptes.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    nom = factory.Sequence(lambda n: f"Centre social n°{n}")


class CollectifFactory(factory.django.DjangoModelFactory):
    """A collectif of the Loire with one référent (`referent=` to choose it) and one originating institution."""

    class Meta:
        model = Collectif
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Collectif du quartier n°{n}")
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="42"))
    territoire = "Quartier de Montreynaud, Saint-Étienne"
    codes_communes = "42218"

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        """As the services do: R17 finds collectifs by commune through CommuneCollectif."""
        if create:
            self.synchroniser_communes(creation=True)

    @factory.post_generation
    def referent(self, create, extracted, **kwargs):
        if create:
            self.referents.add(extracted or UserFactory())

    @factory.post_generation
    def institutions(self, create, extracted, **kwargs):
        if create:
            self.institutions_origine.set(extracted if extracted is not None else [OrganisationFactory()])


class MembreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membre

    collectif = factory.SubFactory(CollectifFactory)
    college = College.HABITANT
    prenom = factory.Sequence(lambda n: f"Camille{n}")
    nom = factory.Faker("last_name", locale="fr_FR")
    cle = factory.LazyAttribute(lambda o: cle_personne(o.prenom, o.nom))
    consentement = True


def composer(collectif, elus=1, professionnels=2, habitants=2):
    """Give the collectif the members of each college."""
    for college, nombre in (
        (College.ELU_RESPONSABLE, elus),
        (College.PROFESSIONNEL, professionnels),
        (College.HABITANT, habitants),
    ):
        for _ in range(nombre):
            MembreFactory(collectif=collectif, college=college)
    return collectif


def _composer_declaration(declaration, create, extracted, **kwargs):
    if create:
        composer(declaration.collectif)


def _adherer_charte(declaration, create, extracted, **kwargs):
    """The first référent accepts the current charter for the declaration (R16)."""
    if not create:
        return
    adhesion = AdhesionCharte.objects.create(
        charte=Charte.objects.order_by("-version").first(),
        collectif=declaration.collectif,
        personne=declaration.collectif.referents.first(),
    )
    Declaration.objects.filter(pk=declaration.pk).update(adhesion_charte=adhesion)
    declaration.adhesion_charte = adhesion


def _etat(etat: EtatDeclaration) -> factory.Trait:
    """A declaration written straight into a filed state (setup only: transitions are tested through the services)."""
    return factory.Trait(etat=etat, deposee_le=factory.LazyFunction(timezone.now))


class DeclarationFactory(factory.django.DjangoModelFactory):
    """A draft. Trait `prete=True`: complete members, texts and charter, ready to file.

    One trait per filed state (`deposee=True`, `agreee=True`…) sets `etat` and stamps `deposee_le` with now."""

    class Meta:
        model = Declaration
        skip_postgeneration_save = True

    collectif = factory.SubFactory(CollectifFactory)
    etat = EtatDeclaration.BROUILLON

    class Params:
        prete = factory.Trait(
            dynamique_preexistante=(
                "Depuis 2021, le centre social, la mairie et l'amicale des locataires se réunissent chaque mois."
            ),
            projet="Ouvrir une cuisine partagée au pied des immeubles.",
            additionnalite="Sans le collectif, aucune des trois structures ne porterait seule la cuisine partagée.",
            avec_membres=True,
            avec_charte=True,
        )
        avec_membres = False
        avec_charte = False

        deposee = _etat(EtatDeclaration.DEPOSEE)
        en_instruction = _etat(EtatDeclaration.EN_INSTRUCTION)
        a_completer = _etat(EtatDeclaration.A_COMPLETER)
        recevable = _etat(EtatDeclaration.RECEVABLE)
        inscrite_en_seance = _etat(EtatDeclaration.INSCRITE_EN_SEANCE)
        agreee = _etat(EtatDeclaration.AGREEE)
        refusee = _etat(EtatDeclaration.REFUSEE)
        en_attente = _etat(EtatDeclaration.EN_ATTENTE)
        retiree = _etat(EtatDeclaration.RETIREE)
        classee_sans_suite = _etat(EtatDeclaration.CLASSEE_SANS_SUITE)

    # Params never reach the model nor plain post_generation hooks; factory.Maybe reads them.
    membres = factory.Maybe("avec_membres", factory.PostGeneration(_composer_declaration), None)
    charte = factory.Maybe("avec_charte", factory.PostGeneration(_adherer_charte), None)
