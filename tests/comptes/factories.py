import factory

from comptes.models import Instructeur, User

MOT_DE_PASSE = "mot-de-passe-de-test-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    prenom = factory.Faker("first_name", locale="fr_FR")
    nom = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(MOT_DE_PASSE)

    class Params:
        national = factory.Trait(est_equipe_nationale=True)


class InstructeurFactory(factory.django.DjangoModelFactory):
    """An instructeur; pass departements=[...] (codes or objects)."""

    class Meta:
        model = Instructeur
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create and extracted:
            self.departements.set(extracted)
