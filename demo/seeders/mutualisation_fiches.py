"""Seeds the practice sheets (R14) and so the public catalogue /pratiques/: a dozen sheets published in the Loire
and the Rhône on varied themes (one of them then retained by national staff), one proposed and waiting for the
Loire's instructrice, one draft. Everything goes through the services (journal, search vector, the PDF job queued
at publication). The sheets name no one: their credits name a collectif or a structure, never a person.

Loire sheets are written by the demo's Loire collectifs (their référents); the Rhône has no collectif in the rest
of the demo, so two are created here, each with a référent account that cannot log in. Idempotent: a sheet whose
title exists is left as it is."""

from __future__ import annotations

from dataclasses import dataclass

from collectifs.models import Collectif
from comptes.models import User
from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique, Theme
from mutualisation.services import fiches as services
from territoires.models import Departement


@dataclass(frozen=True)
class Fiche:
    departement: str
    titre: str
    themes: tuple[str, ...]
    territoire: str
    annee: int
    resume: str
    contexte: str
    demarche: str
    difficultes: str = ""
    ressources: str = ""
    paroles: str = ""
    credits: str = ""
    etat: str = EtatFiche.PUBLIEE


FICHES = [
    Fiche(
        "42",
        "Une cuisine partagée au pied des immeubles",
        ("alimentation", "lien-social"),
        "Montreynaud, Saint-Étienne",
        2026,
        "Des repas cuisinés ensemble chaque mois ont fait naître un collectif d'habitant·es et de professionnel·les.",
        "Dans le quartier, beaucoup de familles mangent seules et la salle commune restait fermée. Le centre social "
        "cherchait comment aller vers les habitant·es qu'il ne voyait jamais.",
        "Tout est parti d'un repas improvisé sur la pelouse. Les habitantes ont proposé de recommencer chaque mois ; "
        "le bailleur a ouvert la salle commune, la mairie a prêté du matériel. Les décisions se prennent en réunion "
        "ouverte, le premier lundi du mois : menu, courses, qui accueille les nouvelles et les nouveaux.",
        "Tenir dans la durée quand les bénévoles s'essoufflent : les rôles tournent désormais chaque trimestre.",
        "La salle commune du bailleur, une petite enveloppe du fonds, les équipes du centre social.",
        "« Ici on ne vient pas pour manger, on vient pour se parler. »",
        "Rédigée par les membres du collectif de la cuisine partagée.",
    ),
    Fiche(
        "42",
        "Un café des parents à la sortie de l'école",
        ("education-parentalite",),
        "Firminy-Vert, Firminy",
        2026,
        "Un café chaque mardi matin devant l'école, tenu par des parents, pour parler éducation sans jugement.",
        "Des parents se sentaient mal accueillis à l'école et n'osaient pas parler des difficultés de leurs enfants.",
        "Deux mères ont installé un thermos et des chaises devant le portail. L'école a ensuite prêté une classe ; "
        "une fois par mois, une professionnelle de la PMI ou une enseignante vient, à l'invitation des parents.",
        "Faire venir les pères : un samedi matin par mois a été ajouté.",
        "Une classe prêtée, du café offert par l'épicerie du quartier.",
        "« J'ai compris que je n'étais pas la seule à galérer avec les devoirs. »",
    ),
    Fiche(
        "42",
        "Un atelier mobilité pour aller travailler",
        ("mobilite", "emploi-insertion"),
        "Roanne et Mably",
        2025,
        "Réparer des vélos, apprendre les lignes de bus, partager des trajets : la mobilité comme première marche vers "
        "l'emploi.",
        "Des offres d'emploi en zone industrielle restaient sans candidat·e faute de moyen de transport.",
        "Le collectif a recensé les trajets impossibles avec les personnes concernées, puis ouvert un atelier vélo "
        "le samedi et organisé des sorties « apprendre le bus » avec la société de transport.",
        "Les horaires décalés : un covoiturage entre salarié·es s'est monté avec les entreprises.",
        "Un local prêté par la ville, des vélos donnés par les habitant·es.",
    ),
    Fiche(
        "42",
        "Des permanences numériques tenues par des habitant·es",
        ("numerique", "acces-aux-droits"),
        "Rive-de-Gier",
        2026,
        "Des habitant·es formé·es aident leurs voisin·es à faire leurs démarches en ligne, avec les services publics.",
        "La fermeture de guichets a laissé des personnes âgées et des familles sans aide pour leurs droits.",
        "Six habitant·es ont suivi une formation courte avec la médiathèque ; ils tiennent deux permanences par "
        "semaine, et orientent vers les travailleuses sociales quand la situation le demande.",
        "Ne pas se substituer aux professionnel·les : une charte précise ce que fait, et ne fait pas, la permanence.",
    ),
    Fiche(
        "42",
        "Une épicerie solidaire gérée avec ses client·es",
        ("alimentation", "participation"),
        "Saint-Chamond",
        2025,
        "Une épicerie où les personnes qui y font leurs courses siègent au conseil et décident des produits.",
        "L'aide alimentaire existante était vécue comme humiliante par une partie des familles.",
        "Le collectif a transformé la distribution en épicerie à petits prix ; un conseil mêlant client·es, "
        "bénévoles et partenaires choisit les produits et les prix, et organise des ateliers cuisine.",
        "Équilibrer les comptes sans augmenter les prix : des partenariats avec des producteurs locaux.",
    ),
    Fiche(
        "42",
        "Une marche exploratoire de femmes dans le quartier",
        ("cadre-de-vie", "participation"),
        "La Ricamarie",
        2026,
        "Des habitantes arpentent leur quartier de nuit et proposent des aménagements à la ville.",
        "Des femmes évitaient certaines rues le soir ; personne ne leur avait demandé pourquoi.",
        "Trois marches, à différentes heures, avec un parcours choisi par les participantes ; un rapport illustré a "
        "été présenté au conseil municipal, qui a retenu l'éclairage de deux passages.",
    ),
    Fiche(
        "42",
        "Un jardin partagé entre générations",
        ("vieillissement", "cadre-de-vie"),
        "Montbrison",
        2024,
        "Des aîné·es de la résidence autonomie et des enfants du centre de loisirs cultivent la même parcelle.",
        "Les résident·es de la résidence autonomie sortaient peu ; le centre de loisirs cherchait un lieu extérieur.",
        "Le collectif a obtenu une parcelle inutilisée ; les aîné·es transmettent, les enfants plantent, et les "
        "récoltes finissent en goûter partagé.",
        etat=EtatFiche.RETENUE,
    ),
    Fiche(
        "69",
        "Une laverie sociale au cœur des Pentes",
        ("lien-social", "logement-habitat"),
        "Pentes de la Croix-Rousse, Lyon",
        2026,
        "Une laverie à petit prix où l'on vient aussi pour un café, une permanence logement ou un atelier couture.",
        "Beaucoup de logements anciens n'ont pas de place pour un lave-linge ; les laveries du quartier ferment.",
        "Le collectif a ouvert la laverie dans un local associatif, avec des permanences tenues par des partenaires "
        "du logement ; les habitant·es choisissent les ateliers du mois.",
    ),
    Fiche(
        "69",
        "Un chantier jeunes pour rénover la salle commune",
        ("jeunesse", "emploi-insertion"),
        "Mas du Taureau, Vaulx-en-Velin",
        2025,
        "Des jeunes du quartier rénovent leur salle commune, encadré·es par des artisans, et sont rémunéré·es.",
        "La salle commune était dégradée et les jeunes n'y avaient pas leur place.",
        "Le collectif a monté le chantier avec le bailleur et une régie de quartier ; les jeunes ont choisi "
        "l'aménagement, puis écrit les règles d'usage de la salle avec les autres habitant·es.",
    ),
    Fiche(
        "69",
        "Une bibliothèque de rue le mercredi",
        ("culture", "education-parentalite"),
        "Givors",
        2026,
        "Des lectures sur une couverture au pied des immeubles, tenues par des parents et la médiathèque.",
        "Les enfants du quartier fréquentaient peu la médiathèque, située en centre-ville.",
        "Chaque mercredi, une couverture, des livres, des parents lecteurs ; la médiathèque a ouvert des cartes "
        "gratuites sur place et organise une sortie par trimestre.",
    ),
    Fiche(
        "69",
        "Un transport solidaire vers les soins",
        ("sante", "mobilite"),
        "Tarare et ses environs",
        2025,
        "Des chauffeurs bénévoles conduisent les personnes sans voiture vers leurs rendez-vous médicaux.",
        "Des rendez-vous de santé étaient manqués faute de transport dans les communes rurales.",
        "Le collectif a organisé un planning partagé avec la maison de santé ; les trajets sont payés au kilomètre "
        "selon les moyens de chacun·e.",
    ),
    Fiche(
        "69",
        "Un repair café pour réparer ensemble",
        ("cadre-de-vie", "lien-social"),
        "Pentes de la Croix-Rousse, Lyon",
        2026,
        "Un samedi par mois, on apporte un objet cassé et on apprend à le réparer avec des bénévoles.",
        "Des habitant·es jetaient des objets faute de savoir ou de pouvoir les faire réparer.",
        "Le collectif s'est appuyé sur des retraités bricoleurs et un atelier associatif ; chaque réparation se fait "
        "avec la personne, pour qu'elle apprenne.",
    ),
    Fiche(
        "42",
        "Une ludothèque itinérante dans les hameaux",
        ("culture", "lien-social"),
        "Monts du Forez",
        2026,
        "Un camion de jeux qui s'arrête dans les hameaux, animé par des parents et des aîné·es.",
        "Dans les hameaux, pas de lieu pour que les familles et les aîné·es se retrouvent.",
        "La démarche est en cours d'écriture : le collectif raconte comment il a choisi les arrêts avec les mairies.",
        etat=EtatFiche.PROPOSEE,
    ),
    Fiche(
        "42",
        "Des petits déjeuners du quartier (brouillon)",
        ("lien-social",),
        "Firminy",
        2026,
        "Un brouillon en cours.",
        "À compléter.",
        "",
        etat=EtatFiche.BROUILLON,
    ),
]

COLLECTIFS_RHONE = [
    ("Collectif des Pentes", "Pentes de la Croix-Rousse, Lyon", "69381", "collectif.pentes@demo.collectifs-ds.fr"),
    ("Collectif du Mas du Taureau", "Mas du Taureau, Vaulx-en-Velin", "69256", "collectif.mas@demo.collectifs-ds.fr"),
]


def _collectifs_rhone(rhone: Departement) -> list[Collectif]:
    collectifs = list(Collectif.objects.filter(departement=rhone, referents__isnull=False).distinct().order_by("pk"))
    if collectifs:
        return collectifs
    for nom, territoire, commune, email in COLLECTIFS_RHONE:
        referent = User.objects.filter(email__iexact=email).first()
        if referent is None:
            referent = User.objects.create_user(email=email, password=None, prenom="Collectif", nom=nom)
        collectif, _ = Collectif.objects.get_or_create(
            nom=nom, departement=rhone, defaults={"territoire": territoire, "codes_communes": commune}
        )
        collectif.synchroniser_communes(creation=True)
        collectif.referents.add(referent)
        collectifs.append(collectif)
    return collectifs


def fiches_pratiques_charger(comptes: dict[str, User]) -> list[FichePratique]:
    """The catalogue's sheets (see the module's docstring); `comptes` are the demo accounts (demo.seeders.comptes):
    the Loire's instructrice publishes, the Rhône's instructeur publishes, national staff retain."""
    loire = Departement.objects.get(code="42")
    rhone = Departement.objects.get(code="69")
    par_departement = {
        "42": list(Collectif.objects.filter(departement=loire, referents__isnull=False).distinct().order_by("pk")),
        "69": _collectifs_rhone(rhone),
    }
    instructeurs = {"42": comptes["instructrice_42"], "69": comptes["instructeur_69"]}
    themes = dict(Theme.objects.values_list("code", "pk"))
    fiches: list[FichePratique] = []
    for rang, f in enumerate(FICHES):
        existante = FichePratique.objects.filter(titre=f.titre).first()
        collectifs = par_departement[f.departement]
        if existante is not None or not collectifs:
            if existante is not None:
                fiches.append(existante)
            continue
        collectif = collectifs[rang % len(collectifs)]
        referent = collectif.referents.order_by("pk").first()
        assert referent is not None
        fiche = services.fiche_creer(
            acteur=referent,
            collectif=collectif,
            donnees=services.DonneesFiche(
                titre=f.titre,
                annee=f.annee,
                resume=f.resume,
                contexte=f.contexte,
                demarche=f.demarche,
                difficultes=f.difficultes,
                ressources=f.ressources,
                paroles_habitants=f.paroles,
                credits=f.credits,
                credits_consentis=bool(f.credits),
                territoire=f.territoire,
                themes=tuple(themes[code] for code in f.themes),
            ),
        )
        if f.etat != EtatFiche.BROUILLON:
            services.fiche_proposer(acteur=referent, fiche=fiche)
        if f.etat in (EtatFiche.PUBLIEE, EtatFiche.RETENUE):
            services.fiche_publier(acteur=instructeurs[f.departement], fiche=fiche)
        if f.etat == EtatFiche.RETENUE:
            services.fiche_retenir(acteur=comptes["national"], fiche=fiche)
        fiches.append(FichePratique.objects.get(pk=fiche.pk))
    return fiches
