"""Seeds the departmental syntheses and the national report (R15): the syntheses of the Loire (42), the Rhône (69) and
the Haute-Loire (43) generated from the demo's data, with the instance's text, and transmitted (their PDF is queued
for the worker); the Ardèche (07) has only a draft, so it is listed among the départements missing from the national
report, which is then launched and run here (the worker finds it done and does nothing more).

Everything goes through the services. The Haute-Loire and the Ardèche have no instructeur elsewhere in the demo: one
account each is created here, which cannot log in. Idempotent: a transmitted synthesis is left as it is, and the
report is generated only once."""

from __future__ import annotations

from comptes.models import Instructeur, User
from mutualisation.enums import EtatSynthese
from mutualisation.models import RapportNational, SyntheseDepartementale
from mutualisation.services import rapports as services_rapports
from mutualisation.services import syntheses as services
from mutualisation.tasks_syntheses import rapport_executer
from territoires.models import Departement

TEXTES = {
    "42": (
        "Les collectifs de la Loire ont surtout appris à se parler entre institutions et habitant·es. Les deux "
        "rencontres départementales ont fait circuler les démarches de cuisine partagée et d'accès aux droits."
    ),
    "69": (
        "Dans le Rhône, l'année a été celle des fiches pratiques : les collectifs ont pris le temps d'écrire leur "
        "démarche, pour qu'elle serve à d'autres."
    ),
    "43": "En Haute-Loire, une première année : l'instance a surtout accompagné les collectifs naissants.",
}
BROUILLON = "07"


def _instructeur(code: str, existant: User | None) -> User:
    """The demo's instructeur of the département, or a new account that cannot log in."""
    if existant is not None:
        return existant
    email = f"instruction.{code}@demo.collectifs-ds.fr"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, prenom="Instruction", nom=f"Département {code}")
    instructeur, _ = Instructeur.objects.get_or_create(user=user)
    instructeur.departements.add(Departement.objects.get(code=code))
    return user


def syntheses_et_rapport(*, instructeurs: dict[str, User], national: User, annee: int) -> RapportNational | None:
    """The syntheses of `annee` (three transmitted, one draft) and the national report of that year.

    `instructeurs`: the demo's instructeur accounts by département code (e.g. {"42": …, "69": …}); the others are
    created here. Returns the national report (None when it could not be generated)."""
    for code in (*TEXTES, BROUILLON):
        synthese = SyntheseDepartementale.objects.filter(departement_id=code, annee=annee).first()
        if synthese is not None and synthese.etat != EtatSynthese.BROUILLON:
            continue
        instructeur = _instructeur(code, instructeurs.get(code))
        synthese = services.synthese_generer(
            acteur=instructeur, departement=Departement.objects.get(code=code), annee=annee
        )
        if code in TEXTES:
            services.synthese_rediger(acteur=instructeur, synthese=synthese, texte=TEXTES[code])
            services.synthese_transmettre(acteur=instructeur, synthese=synthese)
    rapport = RapportNational.objects.filter(annee=annee, genere_le__isnull=False).first()
    if rapport is not None:
        return rapport
    rapport = services_rapports.rapport_lancer(acteur=national, annee=annee)
    assert rapport.travail_id is not None  # set by the launch
    return rapport_executer(rapport.travail_id)
