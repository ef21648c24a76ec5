"""Seeds the collectifs with their members and declarations: the four Loire collectifs filed in the 2026
campaign (all admissible), and the 2027 ones (a draft to complete, one ready to file, one filed, one asked for
more by the instructrice, one admissible). Three of them name their quartier prioritaire de la politique de la
ville (R17), one of which is funded in 2026: the equity dashboard breaks the funding down by quartier."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from collectifs import selectors, services
from collectifs.enums import College, EtatDeclaration
from collectifs.models import Collectif, Declaration
from collectifs.services import DonneesIndicateur, DonneesMembre, DonneesOrganisation
from comptes.models import User
from demo.seeders.territoires import quartiers_prioritaires_loire
from territoires.models import Departement, QuartierPrioritaire

# A member: (college, first name, last name, function, organisation, SIRET).
Membre = tuple[str, str, str, str, str, str]

MEMBRES_COMPLETS: list[Membre] = [
    (College.ELU_RESPONSABLE, "Hélène", "Vial", "Adjointe aux solidarités", "Ville de Saint-Étienne", "21420218600018"),
    (
        College.PROFESSIONNEL,
        "Karim",
        "Haddad",
        "Conseiller en économie sociale et familiale",
        "Département de la Loire",
        "",
    ),
    (College.PROFESSIONNEL, "Élodie", "Perrin", "Animatrice", "Centre social de Montreynaud", ""),
    (
        College.HABITANT,
        "Fatou",
        "Diallo",
        "Habitante, amicale des locataires",
        "Amicale des locataires de Montreynaud",
        "",
    ),
    (College.HABITANT, "Gérard", "Chambon", "Bénévole, jardin partagé", "Les Jardins de la Cotonne", ""),
]


def collectifs_2026(comptes: dict[str, User], loire: Departement, instructrice: User) -> list[Collectif]:
    """The four collectifs of the 2026 Loire campaign, filed in this order (the séance decides in filing order)
    and declared admissible by the instructrice."""
    quartiers = quartiers_prioritaires_loire()
    collectifs = [
        _collectif(
            comptes["referent_rive_de_gier"],
            loire,
            "Grand Pont en commun",
            "Quartier du Grand Pont, Rive-de-Gier",
            "42186",
            quartiers=[quartiers["QN04208G"]],
            membres=[
                (College.ELU_RESPONSABLE, "Sylvie", "Perret", "Adjointe au maire", "Ville de Rive-de-Gier", ""),
                (College.PROFESSIONNEL, "Farid", "Amrani", "Médiateur social", "CCAS de Rive-de-Gier", ""),
                (College.PROFESSIONNEL, "Claire", "Tissot", "Animatrice", "Centre social du Grand Pont", ""),
                (College.HABITANT, "Nordine", "Slimani", "Habitant, amicale des locataires", "", ""),
                (College.HABITANT, "Monique", "Dumas", "Retraitée, conseil citoyen", "Conseil citoyen", ""),
            ],
            complet=True,
            deposer=True,
        ),
        _collectif(
            comptes["referente_saint_chamond"],
            loire,
            "Fonsala en partage",
            "Quartier de Fonsala, Saint-Chamond",
            "42207",
            membres=[
                (College.ELU_RESPONSABLE, "Valérie", "Chaize", "Responsable territoriale", "CAF de la Loire", ""),
                (College.PROFESSIONNEL, "Mathieu", "Rolland", "Éducateur de rue", "ADSEA 42", ""),
                (College.PROFESSIONNEL, "Samia", "Bouzid", "Conseillère ESF", "Département de la Loire", ""),
                (College.HABITANT, "Jeanne", "Celle", "Habitante, jardin de Fonsala", "", ""),
                (College.HABITANT, "Kevin", "Morel", "Habitant, club de foot du quartier", "FC Fonsala", ""),
            ],
            complet=True,
            deposer=True,
        ),
        _collectif(
            comptes["referent_feurs"],
            loire,
            "Collectif du Forum",
            "Quartier du Forum, Feurs",
            "42094",
            membres=[
                (College.ELU_RESPONSABLE, "Alain", "Berthéas", "Maire adjoint", "Ville de Feurs", ""),
                (College.PROFESSIONNEL, "Nadia", "Khelifi", "Directrice", "Centre social de Feurs", ""),
                (College.PROFESSIONNEL, "Éric", "Poncet", "Travailleur social", "MSA Ardèche Drôme Loire", ""),
                (College.HABITANT, "Gisèle", "Rivollier", "Bénévole de l'épicerie", "", ""),
                (College.HABITANT, "Antoine", "Guyot", "Habitant du Forum", "", ""),
            ],
            complet=True,
            deposer=True,
        ),
        _collectif(
            comptes["referente_la_ricamarie"],
            loire,
            "La Montagne solidaire",
            "Quartier de la Montagne, La Ricamarie",
            "42183",
            membres=[
                (
                    College.ELU_RESPONSABLE,
                    "Gilles",
                    "Ferraton",
                    "Conseiller municipal",
                    "Ville de La Ricamarie",
                    "",
                ),
                (College.PROFESSIONNEL, "Hélène", "Coste", "Assistante sociale", "Département de la Loire", ""),
                (College.PROFESSIONNEL, "Bruno", "Faure", "Animateur", "MJC de La Ricamarie", ""),
                (College.HABITANT, "Zohra", "Mekki", "Habitante, collectif des parents", "", ""),
                (College.HABITANT, "Paul", "Vernet", "Ancien mineur, association du puits Pigeot", "", ""),
            ],
            complet=True,
            deposer=True,
        ),
    ]
    declarations = [_declaration_deposee(c) for c in collectifs]
    for declaration in declarations:
        if declaration is not None and declaration.etat in (
            EtatDeclaration.DEPOSEE,
            EtatDeclaration.EN_INSTRUCTION,
        ):
            services.declaration_declarer_recevable(acteur=instructrice, declaration=declaration)
    return collectifs


def collectifs_2027(comptes: dict[str, User], loire: Departement, instructrice: User) -> None:
    """The collectifs of the 2027 Loire campaign, at every step of the declaration (R4)."""
    quartiers = quartiers_prioritaires_loire()
    _collectif(
        comptes["referente"],
        loire,
        "Collectif Tarentaize-Beaubrun en transition",
        "Quartiers Tarentaize et Beaubrun, Saint-Étienne",
        "42218",
        membres=MEMBRES_COMPLETS[:2] + MEMBRES_COMPLETS[3:4],
        complet=False,
    )
    _collectif(
        comptes["referente"],
        loire,
        "Collectif Solidarités Montreynaud",
        "Quartier de Montreynaud, Saint-Étienne",
        "42218",
        quartiers=[quartiers["QN04201M"]],
        membres=MEMBRES_COMPLETS,
        complet=True,
    )
    _collectif(
        comptes["referent_firminy"],
        loire,
        "Firminy Vert en commun",
        "Quartier de Firminy-Vert, Firminy",
        "42095",
        quartiers=[quartiers["QN04206L"]],
        membres=[
            (College.ELU_RESPONSABLE, "Bernard", "Faure", "Maire adjoint", "Ville de Firminy", ""),
            (College.PROFESSIONNEL, "Nathalie", "Roux", "Éducatrice spécialisée", "ADSEA 42", ""),
            (College.PROFESSIONNEL, "Yann", "Le Goff", "Travailleur social", "CCAS de Firminy", ""),
            (College.HABITANT, "Malika", "Saïdi", "Habitante", "Collectif des mamans de Firminy-Vert", ""),
            (College.HABITANT, "Louis", "Berthon", "Retraité, conseil citoyen", "Conseil citoyen de Firminy", ""),
        ],
        complet=True,
        deposer=True,
    )
    roanne = _collectif(
        comptes["referente_roanne"],
        loire,
        "Le Parc ensemble",
        "Quartier du Parc, Roanne",
        "42187",
        membres=[
            (College.ELU_RESPONSABLE, "Anne", "Mercier", "Directrice", "CAF de la Loire", ""),
            (College.PROFESSIONNEL, "Thomas", "Blanc", "Animateur jeunesse", "Centre social du Parc", ""),
            (College.PROFESSIONNEL, "Inès", "Garnier", "Assistante sociale", "Département de la Loire", ""),
            (College.HABITANT, "Rachid", "Benamar", "Habitant, association de quartier", "Vivre au Parc", ""),
            (College.HABITANT, "Josiane", "Dupuy", "Usagère de l'épicerie solidaire", "", ""),
        ],
        complet=True,
        deposer=True,
    )
    # R4: the instructrice asks Le Parc ensemble for more; the référente can answer and file again.
    declaration = _declaration_deposee(roanne)
    if declaration is not None and declaration.etat in (EtatDeclaration.DEPOSEE, EtatDeclaration.EN_INSTRUCTION):
        services.complements_demander(
            acteur=instructrice,
            declaration=declaration,
            message=(
                "Merci de préciser qui, parmi les habitant·es, participera à la gestion de la cuisine "
                "partagée, et de joindre le compte rendu de votre dernière réunion avec le centre social."
            ),
        )
    montbrison = _collectif(
        comptes["referente_montbrison"],
        loire,
        "Les Jardins du Vizézy",
        "Quartier de Beauregard, Montbrison",
        "42147",
        membres=[
            (College.ELU_RESPONSABLE, "Christian", "Bayle", "Conseiller municipal", "Ville de Montbrison", ""),
            (College.PROFESSIONNEL, "Aurélie", "Fontvieille", "Animatrice", "Centre social de Montbrison", ""),
            (College.PROFESSIONNEL, "Damien", "Grange", "Éducateur", "Sauvegarde 42", ""),
            (College.HABITANT, "Léa", "Brunon", "Habitante, jardin partagé", "Les Jardins du Vizézy", ""),
            (College.HABITANT, "Ahmed", "Zerrouki", "Habitant, amicale de Beauregard", "", ""),
        ],
        complet=True,
        deposer=True,
    )
    # R4: admissible, ready for the next séance of the instance.
    declaration = _declaration_deposee(montbrison)
    if declaration is not None and declaration.etat in (EtatDeclaration.DEPOSEE, EtatDeclaration.EN_INSTRUCTION):
        services.declaration_declarer_recevable(acteur=instructrice, declaration=declaration)


def _collectif(
    referent: User,
    departement: Departement,
    nom: str,
    territoire: str,
    communes: str,
    *,
    membres: Sequence[Membre],
    complet: bool,
    deposer: bool = False,
    quartiers: Sequence[QuartierPrioritaire] = (),
) -> Collectif:
    """The collectif named ``nom``, created if missing with its members, its quartiers prioritaires and its draft
    declaration (completed and charter accepted if ``complet``, filed if ``deposer``); an existing collectif is
    returned untouched."""
    existant = Collectif.objects.filter(nom=nom).first()
    if existant is not None:
        return existant
    institutions = [DonneesOrganisation(nom=m[4], siret=m[5]) for m in membres if m[0] != College.HABITANT and m[4]]
    collectif = services.collectif_creer(
        acteur=referent,
        nom=nom,
        departement=departement,
        territoire=territoire,
        codes_communes=communes,
        institutions=institutions[:2],
        quartiers_prioritaires=quartiers,
    )
    for college, prenom, nom_membre, fonction, organisation, siret in membres:
        services.membre_ajouter(
            acteur=referent,
            collectif=collectif,
            donnees=DonneesMembre(
                college=college,
                prenom=prenom,
                nom=nom_membre,
                fonction=fonction,
                organisation=DonneesOrganisation(nom=organisation, siret=siret) if organisation else None,
                consentement=True,
                date_debut=timezone.localdate() - datetime.timedelta(days=400),
            ),
        )
    declaration = selectors.brouillon_du_collectif(collectif)
    assert declaration is not None
    services.declaration_enregistrer(
        acteur=referent,
        declaration=declaration,
        dynamique_preexistante=(
            "Depuis trois ans, la mairie, le centre social et les habitant·es se retrouvent chaque mois "
            "autour d'un café du quartier. Ensemble, nous avons déjà organisé une fête des voisins et une "
            "bourse aux vêtements."
        ),
        projet=(
            "Ouvrir une cuisine partagée au pied des immeubles, gérée par les habitant·es, pour rompre "
            "l'isolement et préparer des repas à petit prix."
        ),
        additionnalite=""
        if not complet
        else (
            "Aucune des structures ne peut porter seule ce lieu : il faut la salle de la ville, le temps des "
            "professionnel·les et la présence des habitant·es le soir et le week-end."
        ),
    )
    services.indicateurs_enregistrer(
        acteur=referent,
        declaration=declaration,
        indicateurs=[
            DonneesIndicateur("Des habitant·es qui ne venaient pas prennent la parole en réunion"),
            DonneesIndicateur("Nombre de repas partagés par mois", nature="quantitatif"),
        ],
    )
    if complet:
        services.charte_accepter(acteur=referent, declaration=declaration)
    if deposer and declaration.etat == EtatDeclaration.BROUILLON:
        services.declaration_deposer(acteur=referent, declaration=declaration)
    return collectif


def _declaration_deposee(collectif: Collectif) -> Declaration | None:
    """The collectif's latest filed declaration."""
    return collectif.declarations.exclude(etat=EtatDeclaration.BROUILLON).order_by("-deposee_le").first()
