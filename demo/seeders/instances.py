"""Seeds the departmental instance of the Loire: its members in the four colleges, its first presidency, the
registry of accompagnateurs, the closed séance of the 2026 campaign with its attendance, conflict of interest,
votes and reasoned refusal, and the accompagnateurs assigned to the agreed collectifs."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone

from campagnes.models import Campagne
from collectifs.models import Collectif
from comptes.models import User
from instances import services as instances_services
from instances.enums import ChoixVote, CollegeInstance, MotifRefus
from instances.models import Accompagnateur, InstanceDepartementale, MembreInstance, Seance
from instances.selectors import presidence_en_cours
from territoires.models import Departement

# The departmental instance of the Loire (SPEC §3): rang_rotation → (account key or None, first name, last name,
# institution, college, voting). Rank 1 holds the first presidency (R6); the État's representative does not vote.
MEMBRES_INSTANCE_LOIRE = {
    1: (
        "presidente_instance",
        "Françoise",
        "Vernay",
        "Département de la Loire (vice-présidente chargée de l'action sociale)",
        CollegeInstance.ELUS,
        True,
    ),
    2: (None, "Jean-Luc", "Moulin", "Ville de Saint-Étienne (adjoint aux quartiers)", CollegeInstance.ELUS, True),
    3: (
        "membre_instance",
        "Laurent",
        "Bouchet",
        "CCAS de Roanne (assistant de service social)",
        CollegeInstance.TRAVAILLEURS_SOCIAUX,
        True,
    ),
    4: (
        None,
        "Sandrine",
        "Pras",
        "Département de la Loire (conseillère en économie sociale et familiale)",
        CollegeInstance.TRAVAILLEURS_SOCIAUX,
        True,
    ),
    5: (None, "Yasmina", "Belkacem", "Conseil citoyen de Montreynaud", CollegeInstance.HABITANTS_USAGERS, True),
    6: (
        None,
        "Robert",
        "Chapuis",
        "Association des usagers du centre social de Montbrison",
        CollegeInstance.HABITANTS_USAGERS,
        True,
    ),
    7: (None, "Agnès", "Tardy", "CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True),
    8: (None, "Michel", "Dufour", "MSA Ardèche Drôme Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True),
    9: (
        None,
        "Hervé",
        "Collomb",
        "État — DDETS de la Loire (voix consultative)",
        CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
        False,
    ),
}

# The département's registry of accompagnateurs (R10): (account key or None, first name, last name, structure).
ACCOMPAGNATEURS_LOIRE = [
    ("accompagnatrice", "Céline", "Marcoux", "Fédération des centres sociaux de la Loire"),
    (None, "Olivier", "Peyron", "Coopérative d'accompagnement Loire Solidaires"),
    (None, "Karine", "Dubœuf", "Maison de l'économie sociale et solidaire, Roanne"),
]

# How the present voting members (by rank) voted on the Collectif du Forum: 2 pour, 4 contre, 1 abstention.
VOTES_FORUM = {
    1: ChoixVote.CONTRE,
    2: ChoixVote.CONTRE,
    3: ChoixVote.POUR,
    4: ChoixVote.CONTRE,
    5: ChoixVote.POUR,
    6: ChoixVote.ABSTENTION,
    7: ChoixVote.CONTRE,
}
# R7: the instance raises Grand Pont en commun's first two tranches above the campaign's minimum (15 000 €), within
# the campaign's reservation (40 000 € a year for its two agreements).
MONTANTS_GRAND_PONT: list[Decimal | None] = [Decimal("20000.00"), Decimal("18000.00"), None]
MOTIFS_REFUS_FEURS = (
    "L'épicerie solidaire du Forum est déjà portée par le centre social seul, avec un financement de la "
    "Ville de Feurs : la déclaration ne dit pas ce que le collectif ferait qui n'existerait pas sans lui. "
    "L'instance encourage le collectif à déposer de nouveau en précisant son projet commun."
)


def instance_loire(
    instructrice: User, loire: Departement, comptes: dict[str, User]
) -> tuple[InstanceDepartementale, dict[int, MembreInstance]]:
    """The Loire instance, its members in the four colleges, and its first presidency (R6)."""
    instance, _ = InstanceDepartementale.objects.get_or_create(
        departement=loire,
        defaults={
            "nom": "Instance départementale des collectifs de la Loire",
            # « Besoin d'aide ? » on the collectifs' pages shows the secretariat's contact.
            "contact_email": "collectifs@demo-loire.fr",
            "contact_telephone": "04 77 00 00 00",
            "contact_horaires": "du lundi au vendredi, 9 h – 12 h 30",
        },
    )
    membres = {}
    for rang, (compte, prenom, nom, institution, college, votant) in MEMBRES_INSTANCE_LOIRE.items():
        membres[rang], _ = MembreInstance.objects.get_or_create(
            instance=instance,
            rang_rotation=rang,
            defaults={
                "user": comptes[compte] if compte else None,
                "prenom": prenom,
                "nom": nom,
                "institution": institution,
                "college": college,
                "votant": votant,
            },
        )
    if presidence_en_cours(instance) is None:
        instances_services.presidence_faire_tourner(acteur=instructrice, instance=instance)
    return instance, membres


def accompagnateurs_loire(loire: Departement, comptes: dict[str, User]) -> list[Accompagnateur]:
    """The département's registry of accompagnateurs (R10)."""
    return [
        Accompagnateur.objects.get_or_create(
            departement=loire,
            nom=nom,
            prenom=prenom,
            defaults={
                "structure": structure,
                "user": comptes[compte] if compte else None,
                "email": comptes[compte].email if compte else "",
            },
        )[0]
        for compte, prenom, nom, structure in ACCOMPAGNATEURS_LOIRE
    ]


def seance_2026(
    instructrice: User,
    instance: InstanceDepartementale,
    campagne: Campagne,
    membres: dict[int, MembreInstance],
) -> None:
    """A séance held and closed, unless the campaign already has one: attendance with quorum, a conflict of
    interest, votes, a refusal with reasons, tranches raised above the minimum for one collectif (R7). Closing it
    decides in filing order against the quota (each agreement creates its convention, charged to the campaign's
    reservation), then issues the minutes and decisions."""
    if Seance.objects.filter(campagne=campagne).exists():
        return
    maintenant = timezone.localtime().replace(second=0, microsecond=0)
    seance = instances_services.seance_preparer(
        acteur=instructrice,
        instance=instance,
        campagne=campagne,
        date=maintenant,
        lieu="Hôtel du Département, salle des commissions, Saint-Étienne",
    )
    instances_services.seance_ouvrir(acteur=instructrice, seance=seance)
    absent = 8  # the MSA's representative is excused
    presents = [m for rang, m in membres.items() if rang != absent]
    instances_services.seance_enregistrer_presences(acteur=instructrice, seance=seance, presents=presents)
    votants = [m for m in presents if m.votant]
    points = list(seance.points.select_related("declaration__collectif").order_by("rang"))
    grand_pont, fonsala, forum, montagne = points
    # The CAF de la Loire is an originating institution of Fonsala en partage: its member does not vote.
    caf = membres[7]
    instances_services.conflit_declarer(
        acteur=instructrice,
        point=fonsala,
        membre=caf,
        commentaire="La CAF de la Loire est une institution d'origine du collectif.",
    )
    pour = ChoixVote.POUR
    instances_services.point_fixer_montants(acteur=instructrice, point=grand_pont, montants=MONTANTS_GRAND_PONT)
    instances_services.votes_enregistrer(acteur=instructrice, point=grand_pont, votes=dict.fromkeys(votants, pour))
    instances_services.votes_enregistrer(
        acteur=instructrice, point=fonsala, votes={m: pour for m in votants if m != caf}
    )
    instances_services.votes_enregistrer(
        acteur=instructrice,
        point=forum,
        votes={membres[rang]: choix for rang, choix in VOTES_FORUM.items()},
    )
    instances_services.point_motiver_refus(
        acteur=instructrice, point=forum, motif_refus=MotifRefus.ADDITIONNALITE, motifs=MOTIFS_REFUS_FEURS
    )
    instances_services.votes_enregistrer(acteur=instructrice, point=montagne, votes=dict.fromkeys(votants, pour))
    instances_services.seance_clore(acteur=instructrice, seance=seance)


def accompagnateurs_affecter(
    instructrice: User, collectifs: Sequence[Collectif], accompagnateurs: Sequence[Accompagnateur]
) -> None:
    """R10: each agreed collectif without a current assignment gets an accompagnateur from the registry, in
    order."""
    for collectif, accompagnateur in zip(collectifs, accompagnateurs, strict=False):
        if not collectif.affectations.filter(fin__isnull=True).exists():
            instances_services.accompagnateur_affecter(
                acteur=instructrice, collectif=collectif, accompagnateur=accompagnateur
            )
