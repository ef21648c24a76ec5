"""Seeds the demo accounts (one per role, all with the same printed password) and the instructeurs of the
Loire (42) and the Rhône (69); promotes the national team's account to superuser."""

from __future__ import annotations

from comptes.models import Instructeur, User
from territoires.models import Departement

# A local demonstration password, printed on screen; never use these accounts outside a demo.
MOT_DE_PASSE_DEMO = "demo-collectifs-2027"

COMPTES = {
    "referente": ("amina.benali@demo.collectifs-ds.fr", "Amina", "Benali"),
    "referent_firminy": ("julien.moreau@demo.collectifs-ds.fr", "Julien", "Moreau"),
    "referente_roanne": ("sophie.lambert@demo.collectifs-ds.fr", "Sophie", "Lambert"),
    "instructrice_42": ("claire.dumas@demo.collectifs-ds.fr", "Claire", "Dumas"),
    "instructeur_69": ("marc.giraud@demo.collectifs-ds.fr", "Marc", "Giraud"),
    "national": ("equipe.nationale@demo.collectifs-ds.fr", "Nadia", "Rousseau"),
    "presidente_instance": ("francoise.vernay@demo.collectifs-ds.fr", "Françoise", "Vernay"),
    "membre_instance": ("laurent.bouchet@demo.collectifs-ds.fr", "Laurent", "Bouchet"),
    "accompagnatrice": ("celine.marcoux@demo.collectifs-ds.fr", "Céline", "Marcoux"),
    "referent_rive_de_gier": ("mohamed.cherif@demo.collectifs-ds.fr", "Mohamed", "Chérif"),
    "referente_saint_chamond": ("isabelle.fournier@demo.collectifs-ds.fr", "Isabelle", "Fournier"),
    "referent_feurs": ("pierre.gauthier@demo.collectifs-ds.fr", "Pierre", "Gauthier"),
    "referente_la_ricamarie": ("nadine.bonnet@demo.collectifs-ds.fr", "Nadine", "Bonnet"),
    "referente_montbrison": ("elise.chazal@demo.collectifs-ds.fr", "Élise", "Chazal"),
    # The Département de la Loire's login as a funder of the fund (R8), given by national staff.
    "financeur_loire": ("veronique.bardin@demo.collectifs-ds.fr", "Véronique", "Bardin"),
    # The HR contact of an originating institution, answering secondment requests (R9).
    "employeur": ("rh.centre-social@demo.collectifs-ds.fr", "Hugo", "Perrin"),
}


def comptes_charger() -> dict[str, User]:
    """Every demo account, by its key in ``COMPTES``; the national team's account is a superuser."""
    comptes = {cle: _utilisateur(*valeurs) for cle, valeurs in COMPTES.items()}
    national = comptes["national"]
    if not national.is_superuser:
        national.est_equipe_nationale = national.is_staff = national.is_superuser = True
        national.save(update_fields=["est_equipe_nationale", "is_staff", "is_superuser"])
    return comptes


def instructeurs_charger(comptes: dict[str, User], loire: Departement, rhone: Departement) -> None:
    """The instructrice of the Loire and the instructeur of the Rhône."""
    _instructeur(comptes["instructrice_42"], loire)
    _instructeur(comptes["instructeur_69"], rhone)


def _utilisateur(email: str, prenom: str, nom: str) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=MOT_DE_PASSE_DEMO, prenom=prenom, nom=nom)
    return user


def _instructeur(user: User, departement: Departement) -> None:
    instructeur, _ = Instructeur.objects.get_or_create(user=user)
    instructeur.departements.add(departement)
