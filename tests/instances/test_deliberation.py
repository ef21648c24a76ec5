"""R5 Deliberation: the quorum (strictly more than a fraction of the voting members present, default one half),
no decision without it; a member with a declared conflict of interest does not vote; simple majority of the
votes cast (abstentions are not cast, a tie is no majority, and a refusal needs written reasons)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from instances.deliberation import calculer_quorum, compter_votes
from instances.enums import CollegeInstance, EtatSeance, MotifRefus, ResultatPoint
from instances.models import (
    ConflitInterets,
    InstanceDepartementale,
    MembreInstance,
    PointOrdreDuJour,
    Seance,
    Vote,
)
from instances.selectors import points_ajournes
from instances.services import (
    conflit_declarer,
    point_motiver_refus,
    point_statuer,
    presidence_faire_tourner,
    seance_clore,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import UserFactory

# --- The pure rules. ---


@pytest.mark.parametrize(
    ("votants", "presents", "fraction", "requis", "atteint"),
    [
        pytest.param(10, 6, "0.5", 6, True, id="plus-de-la-moitie"),
        pytest.param(10, 5, "0.5", 6, False, id="exactement-la-moitie-ne-suffit-pas"),
        pytest.param(9, 5, "0.5", 5, True, id="impair-atteint"),
        pytest.param(9, 4, "0.5", 5, False, id="impair-manque-un"),
        pytest.param(100, 51, "0.5", 51, True, id="cent-membres-51"),
        pytest.param(100, 50, "0.5", 51, False, id="cent-membres-50"),
        pytest.param(1, 1, "0.5", 1, True, id="membre-unique-present"),
        pytest.param(2, 1, "0.5", 2, False, id="un-sur-deux"),
        pytest.param(0, 0, "0.5", 1, False, id="aucun-membre-votant"),
        pytest.param(0, 1, "0.5", 1, False, id="aucun-membre-votant-mais-un-present"),
        pytest.param(3, 2, "0.66", 2, True, id="deux-tiers-arrondi-bas"),
        pytest.param(3, 2, "0.67", 3, False, id="deux-tiers-arrondi-haut"),
        pytest.param(12, 8, "0.66", 8, True, id="fraction-0.66-atteinte"),
        pytest.param(12, 7, "0.66", 8, False, id="fraction-0.66-manquee"),
        pytest.param(7, 7, "0.99", 7, True, id="presque-unanimite"),
        pytest.param(4, 1, "0", 1, True, id="fraction-nulle-un-present-suffit"),
        pytest.param(4, 0, "0", 1, False, id="fraction-nulle-personne"),
    ],
)
def test_quorum(votants, presents, fraction, requis, atteint):
    quorum = calculer_quorum(votants=votants, presents=presents, fraction=Decimal(fraction))

    assert (quorum.requis, quorum.atteint) == (requis, atteint)
    etat = "atteint" if atteint else "non atteint"
    assert quorum.message == (
        f"Quorum {etat} : {presents} membre(s) votant(s) présent(s) sur {votants}, {requis} requis."
    )


def test_le_quorum_par_defaut_est_plus_de_la_moitie():
    assert calculer_quorum(votants=6, presents=3).atteint is False
    assert calculer_quorum(votants=6, presents=4).atteint is True


P, C, A = "pour", "contre", "abstention"


@pytest.mark.parametrize(
    ("choix", "compte", "adopte"),
    [
        pytest.param([P, P, C], (2, 1, 0), True, id="majorite-simple"),
        pytest.param([P, A, A, A, A, A], (1, 0, 5), True, id="les-abstentions-ne-comptent-pas"),
        pytest.param([P, C, C, A, A, A, A, P, P], (3, 2, 4), True, id="majorite-des-exprimes-pas-des-presents"),
        pytest.param([P, C], (1, 1, 0), False, id="egalite"),
        pytest.param([P, C, A, A], (1, 1, 2), False, id="egalite-avec-abstentions"),
        pytest.param([A, A, A], (0, 0, 3), False, id="que-des-abstentions"),
        pytest.param([], (0, 0, 0), False, id="aucun-vote"),
        pytest.param([C, C, P, A], (1, 2, 1), False, id="majorite-contre"),
    ],
)
def test_majorite_des_suffrages_exprimes(choix, compte, adopte):
    resultat = compter_votes(choix)

    assert (resultat.pour, resultat.contre, resultat.abstention) == compte
    assert resultat.exprimes == compte[0] + compte[1]
    assert resultat.adopte is adopte
    assert resultat.libelle == f"{compte[0]} pour, {compte[1]} contre, {compte[2]} abstention(s)"


def test_un_choix_inconnu_est_refuse():
    with pytest.raises(ValueError, match="blanc"):
        compter_votes([P, "blanc"])


# --- Through the services: a séance of the Loire instance. ---

# rang_rotation → (institution, college, votant, actif). Five active voting members: the quorum needs three.
MEMBRES = {
    1: ("Département de la Loire", CollegeInstance.ELUS, True, True),
    2: ("Ville de Saint-Étienne", CollegeInstance.ELUS, True, True),
    3: ("CCAS de Roanne", CollegeInstance.TRAVAILLEURS_SOCIAUX, True, True),
    4: ("Conseil citoyen de Firminy", CollegeInstance.HABITANTS_USAGERS, True, True),
    5: ("CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True, True),
    6: ("Préfecture de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, False, True),
    7: ("MSA Ardèche Drôme Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True, False),
}
VOTANTS = [1, 2, 3, 4, 5]


@dataclass
class Seances:
    instructeur: object
    instance: InstanceDepartementale
    membres: dict[int, MembreInstance]
    campagne: object

    def seance(self, declarations: list[Declaration], presents: list[int]) -> Seance:
        """A séance in progress with `declarations` on its agenda and the members of these ranks present."""
        seance = seance_preparer(
            acteur=self.instructeur,
            instance=self.instance,
            campagne=self.campagne,
            date=timezone.now(),
            lieu="Hôtel du Département, Saint-Étienne",
            declarations=declarations,
        )
        seance_ouvrir(acteur=self.instructeur, seance=seance)
        seance_enregistrer_presences(
            acteur=self.instructeur, seance=seance, presents=[self.membres[r] for r in presents]
        )
        return seance

    def voter(self, point: PointOrdreDuJour, choix: dict[int, str]):
        return votes_enregistrer(
            acteur=self.instructeur, point=point, votes={self.membres[r]: c for r, c in choix.items()}
        )


@pytest.fixture
def loire(distribution) -> Seances:
    instance = InstanceDepartementale.objects.create(
        departement=Departement.objects.get(code="42"), nom="Instance départementale de la Loire"
    )
    membres = {
        rang: MembreInstance.objects.create(
            instance=instance,
            prenom=f"Membre{rang}",
            nom=institution.split()[-1],
            institution=institution,
            college=college,
            votant=votant,
            actif=actif,
            rang_rotation=rang,
            user=UserFactory() if rang in (1, 2) else None,
        )
        for rang, (institution, college, votant, actif) in MEMBRES.items()
    }
    presidence_faire_tourner(acteur=distribution.instructeur_42, instance=instance)
    return Seances(distribution.instructeur_42, instance, membres, distribution.campagne)


def _recevable(loire: Seances, rang: int = 0) -> Declaration:
    return DeclarationFactory(
        collectif=CollectifFactory(nom=f"Collectif de Montbrison n°{rang}"),
        campagne=loire.campagne,
        recevable=True,
        deposee_le=timezone.now() - datetime.timedelta(days=30 - rang),
    )


def _etat(declaration: Declaration) -> str:
    return Declaration.objects.get(pk=declaration.pk).etat


@pytest.mark.parametrize(
    ("presents", "fraction", "message"),
    [
        pytest.param(
            [1, 2, 3], "0.50", "Quorum atteint : 3 membre(s) votant(s) présent(s) sur 5, 3 requis.", id="3-sur-5"
        ),
        pytest.param(
            [1, 2, 3, 4, 5, 6, 7],
            "0.50",
            "Quorum atteint : 5 membre(s) votant(s) présent(s) sur 5, 3 requis.",
            id="tous",
        ),
        pytest.param(
            [1, 2, 6, 7],
            "0.50",
            "Quorum non atteint : 2 membre(s) votant(s) présent(s) sur 5, 3 requis.",
            id="ni-le-non-votant-ni-l-inactif-ne-comptent",
        ),
        pytest.param(
            [], "0.50", "Quorum non atteint : 0 membre(s) votant(s) présent(s) sur 5, 3 requis.", id="personne"
        ),
        pytest.param(
            [1, 2, 3],
            "0.66",
            "Quorum non atteint : 3 membre(s) votant(s) présent(s) sur 5, 4 requis.",
            id="quorum-configure-aux-deux-tiers",
        ),
    ],
)
def test_les_presences_donnent_le_quorum(loire, presents, fraction, message):
    InstanceDepartementale.objects.filter(pk=loire.instance.pk).update(quorum_fraction=Decimal(fraction))
    seance = loire.seance([], presents=[])

    quorum = seance_enregistrer_presences(
        acteur=loire.instructeur, seance=seance, presents=[loire.membres[r] for r in presents]
    )

    assert quorum.message == message
    assert sorted(m.rang_rotation for m in seance.presents.all()) == sorted(presents)


@pytest.mark.parametrize(
    ("presents", "fraction"),
    [
        pytest.param([1, 2, 6, 7], "0.50", id="deux-votants-sur-cinq"),
        pytest.param([1, 2, 3], "0.66", id="trois-sur-cinq-aux-deux-tiers"),
    ],
)
def test_sans_quorum_aucune_decision(loire, presents, fraction):
    InstanceDepartementale.objects.filter(pk=loire.instance.pk).update(quorum_fraction=Decimal(fraction))
    declaration = _recevable(loire)
    seance = loire.seance([declaration], presents=presents)
    point = seance.points.get()
    loire.voter(point, {r: P for r in presents if r in VOTANTS})

    for decider in (point_statuer, seance_clore):
        with pytest.raises(ValidationError) as erreur:
            decider(acteur=loire.instructeur, **({"point": point} if decider is point_statuer else {"seance": seance}))
        assert erreur.value.messages[0].startswith("Aucune décision n'est possible sans quorum. Quorum non atteint : ")

    assert _etat(declaration) == EtatDeclaration.INSCRITE_EN_SEANCE
    assert PointOrdreDuJour.objects.get(pk=point.pk).resultat == ""
    assert Seance.objects.get(pk=seance.pk).etat == EtatSeance.EN_COURS


def test_le_message_sans_quorum_est_en_clair(loire):
    declaration = _recevable(loire)
    seance = loire.seance([declaration], presents=[1, 2])

    with pytest.raises(ValidationError) as erreur:
        point_statuer(acteur=loire.instructeur, point=seance.points.get())

    assert erreur.value.messages == [
        "Aucune décision n'est possible sans quorum. "
        "Quorum non atteint : 2 membre(s) votant(s) présent(s) sur 5, 3 requis."
    ]


def test_avec_le_quorum_la_decision_est_prise(loire):
    declaration = _recevable(loire)
    seance = loire.seance([declaration], presents=[1, 2, 3])
    point = seance.points.get()
    loire.voter(point, {1: P, 2: P, 3: C})

    point_statuer(acteur=loire.instructeur, point=point)

    assert PointOrdreDuJour.objects.get(pk=point.pk).resultat == ResultatPoint.AGREEE
    assert _etat(declaration) == EtatDeclaration.AGREEE


def test_une_seance_sans_point_restant_se_clot_sans_quorum(loire):
    seance = loire.seance([], presents=[1])

    seance_clore(acteur=loire.instructeur, seance=seance)

    assert Seance.objects.get(pk=seance.pk).etat == EtatSeance.CLOSE


# --- Conflicts of interest. ---


@pytest.fixture
def deux_points(loire):
    """Two declarations on the agenda of a séance where all five voting members are present."""
    premiere, seconde = _recevable(loire, 1), _recevable(loire, 2)
    seance = loire.seance([premiere, seconde], presents=[*VOTANTS, 6])
    return list(seance.points.order_by("rang"))


def test_un_membre_en_conflit_d_interets_ne_vote_pas(loire, deux_points):
    point, autre = deux_points
    conflit_declarer(acteur=loire.instructeur, point=point, membre=loire.membres[3], commentaire="Salariée du CCAS")

    with pytest.raises(ValidationError) as erreur:
        loire.voter(point, {1: P, 2: P, 3: P})

    assert erreur.value.message_dict == {
        "votes": [f"{loire.membres[3]} a déclaré un conflit d'intérêts : il ou elle ne vote pas sur ce point."]
    }
    assert not Vote.objects.filter(point=point).exists()
    # The others vote; the member in conflict still votes on the other declaration.
    assert loire.voter(point, {1: P, 2: C, 4: P}).libelle == "2 pour, 1 contre, 0 abstention(s)"
    assert loire.voter(autre, {3: P}).pour == 1


@pytest.mark.parametrize(
    ("rang", "message"),
    [
        pytest.param(6, "{membre} n'est pas un membre votant présent.", id="non-votant"),
        pytest.param(7, "{membre} n'est pas un membre votant présent.", id="inactif-absent"),
    ],
)
def test_seuls_les_votants_presents_votent(loire, deux_points, rang, message):
    point = deux_points[0]

    with pytest.raises(ValidationError) as erreur:
        loire.voter(point, {1: P, rang: P})

    assert erreur.value.message_dict == {"votes": [message.format(membre=loire.membres[rang])]}
    assert not Vote.objects.filter(point=point).exists()


def test_un_absent_ne_vote_pas(loire):
    declaration = _recevable(loire)
    point = loire.seance([declaration], presents=[1, 2, 3]).points.get()

    with pytest.raises(ValidationError) as erreur:
        loire.voter(point, {4: P})

    assert erreur.value.message_dict == {"votes": [f"{loire.membres[4]} n'est pas un membre votant présent."]}


def test_un_conflit_se_declare_avant_le_vote(loire, deux_points):
    point = deux_points[0]
    loire.voter(point, {3: P})

    with pytest.raises(ValidationError) as erreur:
        conflit_declarer(acteur=loire.instructeur, point=point, membre=loire.membres[3])

    assert erreur.value.message_dict == {
        "membre": [f"{loire.membres[3]} a déjà voté sur ce point : un conflit se déclare avant le vote."]
    }
    assert not ConflitInterets.objects.exists()


def test_un_membre_declare_lui_meme_son_conflit_mais_pas_celui_d_un_autre(loire, deux_points):
    point = deux_points[0]
    membre = loire.membres[2]  # has an account, is not the president

    conflit_declarer(acteur=membre.user, point=point, membre=membre)
    with pytest.raises(PermissionDenied):
        conflit_declarer(acteur=membre.user, point=point, membre=loire.membres[4])

    assert [c.membre for c in ConflitInterets.objects.all()] == [membre]


def test_le_conflit_ne_retire_pas_le_membre_du_quorum(loire):
    """A member in conflict stays present: only their vote on that declaration is excluded."""
    declaration = _recevable(loire)
    seance = loire.seance([declaration], presents=[1, 2, 3])
    point = seance.points.get()
    conflit_declarer(acteur=loire.instructeur, point=point, membre=loire.membres[3])
    loire.voter(point, {1: P, 2: P})

    point_statuer(acteur=loire.instructeur, point=point)

    assert _etat(declaration) == EtatDeclaration.AGREEE


# --- Majority of the votes cast, through the services. ---


@pytest.mark.parametrize(
    ("choix", "libelle", "adopte"),
    [
        pytest.param({1: P, 2: P, 3: C}, "2 pour, 1 contre, 0 abstention(s)", True, id="majorite"),
        pytest.param({1: P, 2: A, 3: A, 4: A, 5: A}, "1 pour, 0 contre, 4 abstention(s)", True, id="abstentions"),
        pytest.param({1: P, 2: C, 3: A}, "1 pour, 1 contre, 1 abstention(s)", False, id="egalite"),
        pytest.param({1: C, 2: C, 3: P, 4: A}, "1 pour, 2 contre, 1 abstention(s)", False, id="majorite-contre"),
    ],
)
def test_la_majorite_des_votes_exprimes_decide(loire, choix, libelle, adopte):
    declaration = _recevable(loire)
    point = loire.seance([declaration], presents=VOTANTS).points.get()
    assert loire.voter(point, choix).libelle == libelle

    if adopte:
        point_statuer(acteur=loire.instructeur, point=point)
        assert _etat(declaration) == EtatDeclaration.AGREEE
    else:
        # Not adopted: a refusal, which needs a stated ground and written reasons (R5).
        with pytest.raises(ValidationError) as erreur:
            point_statuer(acteur=loire.instructeur, point=point)
        assert erreur.value.message_dict == {
            "motif_refus": ["Choisissez le motif du refus : composition, charte, additionnalité, territoire ou autre."],
            "motifs": ["Un refus doit être motivé par écrit."],
        }
        assert _etat(declaration) == EtatDeclaration.INSCRITE_EN_SEANCE

        point_motiver_refus(
            acteur=loire.instructeur,
            point=point,
            motif_refus=MotifRefus.ADDITIONNALITE,
            motifs="Le projet existe déjà sans le collectif : la cuisine partagée est portée par le centre social.",
        )
        point_statuer(acteur=loire.instructeur, point=point)
        assert _etat(declaration) == EtatDeclaration.REFUSEE

    decide = PointOrdreDuJour.objects.get(pk=point.pk)
    assert decide.resultat == (ResultatPoint.AGREEE if adopte else ResultatPoint.REFUSEE)
    assert decide.statue_le is not None


MOTIFS = "Le projet existe déjà sans le collectif : la cuisine partagée est portée par le centre social."


def _motiver(loire: Seances, point: PointOrdreDuJour) -> None:
    point_motiver_refus(acteur=loire.instructeur, point=point, motif_refus=MotifRefus.ADDITIONNALITE, motifs=MOTIFS)


@pytest.mark.parametrize(
    "choix",
    [
        pytest.param({}, id="aucun-vote"),
        pytest.param({1: A, 2: A, 3: A}, id="que-des-abstentions"),
    ],
)
def test_sans_suffrage_exprime_pas_de_decision(loire, choix):
    """R5: with no vote cast there is no decision, not even a reasoned refusal."""
    declaration = _recevable(loire)
    point = loire.seance([declaration], presents=VOTANTS).points.get()
    if choix:
        loire.voter(point, choix)
    _motiver(loire, point)

    with pytest.raises(ValidationError) as erreur:
        point_statuer(acteur=loire.instructeur, point=point)

    assert erreur.value.messages == [
        f"Aucun suffrage n'a été exprimé sur la déclaration de {declaration.collectif} (les abstentions ne sont "
        "pas des suffrages exprimés) : l'instance ne peut pas statuer."
    ]
    assert (PointOrdreDuJour.objects.get(pk=point.pk).resultat, _etat(declaration)) == (
        "",
        EtatDeclaration.INSCRITE_EN_SEANCE,
    )
    # Once votes are cast, the same point is decided.
    loire.voter(point, {4: C})
    point_statuer(acteur=loire.instructeur, point=point)
    assert _etat(declaration) == EtatDeclaration.REFUSEE


def test_la_cloture_ajourne_les_points_sans_suffrage_exprime(loire):
    """R5: closing decides the points with votes cast; a point without any is adjourned, never refused, and its
    declaration goes on the agenda of the next séance prepared."""
    votee, sans_vote, abstentions = _recevable(loire, 1), _recevable(loire, 2), _recevable(loire, 3)
    seance = loire.seance([votee, sans_vote, abstentions], presents=VOTANTS)
    points = {p.declaration_id: p for p in seance.points.all()}
    loire.voter(points[votee.pk], {1: P, 2: P, 3: C})
    loire.voter(points[abstentions.pk], {1: A, 2: A})
    _motiver(loire, points[sans_vote.pk])

    seance_clore(acteur=loire.instructeur, seance=seance)

    assert Seance.objects.get(pk=seance.pk).etat == EtatSeance.CLOSE
    assert [_etat(d) for d in (votee, sans_vote, abstentions)] == [
        EtatDeclaration.AGREEE,
        EtatDeclaration.INSCRITE_EN_SEANCE,
        EtatDeclaration.INSCRITE_EN_SEANCE,
    ]
    assert [p.declaration_id for p in points_ajournes(Seance.objects.get(pk=seance.pk))] == [
        sans_vote.pk,
        abstentions.pk,
    ]
    suivante = seance_preparer(
        acteur=loire.instructeur, instance=loire.instance, campagne=loire.campagne, date=timezone.now()
    )
    assert [p.declaration_id for p in suivante.points.order_by("rang")] == [sans_vote.pk, abstentions.pk]


def test_une_seance_sans_quorum_ni_suffrage_se_clot_en_ajournant(loire):
    """Without quorum nothing is voted: the séance closes and adjourns its agenda, it decides nothing."""
    declaration = _recevable(loire)
    seance = loire.seance([declaration], presents=[1])

    seance_clore(acteur=loire.instructeur, seance=seance)

    assert Seance.objects.get(pk=seance.pk).etat == EtatSeance.CLOSE
    assert _etat(declaration) == EtatDeclaration.INSCRITE_EN_SEANCE


@pytest.mark.parametrize(
    ("motif_refus", "motifs", "erreurs"),
    [
        pytest.param("", "Texte.", {"motif_refus"}, id="sans-motif"),
        pytest.param("inconnu", "Texte.", {"motif_refus"}, id="motif-inconnu"),
        pytest.param(MotifRefus.AUTRE, "   ", {"motifs"}, id="sans-texte"),
    ],
)
def test_un_refus_est_motive_sur_un_motif_enonce(loire, motif_refus, motifs, erreurs):
    point = loire.seance([_recevable(loire)], presents=VOTANTS).points.get()

    with pytest.raises(ValidationError) as erreur:
        point_motiver_refus(acteur=loire.instructeur, point=point, motif_refus=motif_refus, motifs=motifs)

    assert set(erreur.value.message_dict) == erreurs


def test_un_vote_se_corrige_jusqu_a_la_decision(loire):
    point = loire.seance([_recevable(loire)], presents=VOTANTS).points.get()
    loire.voter(point, {1: C, 2: C, 3: P})

    assert loire.voter(point, {1: P, 2: P}).libelle == "3 pour, 0 contre, 0 abstention(s)"
    point_statuer(acteur=loire.instructeur, point=point)

    with pytest.raises(ValidationError) as erreur:
        loire.voter(point, {1: C})
    assert erreur.value.messages == ["Ce point est déjà décidé."]
    assert Vote.objects.get(point=point, membre=loire.membres[1]).choix == P


def test_un_choix_de_vote_inconnu_est_refuse(loire):
    point = loire.seance([_recevable(loire)], presents=VOTANTS).points.get()

    with pytest.raises(ValidationError) as erreur:
        loire.voter(point, {1: "blanc"})

    assert erreur.value.message_dict == {"votes": [f"Choix de vote inconnu pour {loire.membres[1]} : blanc."]}


def test_une_motivation_de_refus_trop_longue_est_refusee(loire, deux_points):
    """The written reasons are printed on the decision: 5 000 characters at most (defects issue, item 12)."""
    point = deux_points[0]
    with pytest.raises(ValidationError) as erreur:
        point_motiver_refus(
            acteur=loire.instructeur, point=point, motif_refus=MotifRefus.ADDITIONNALITE, motifs="x" * 5001
        )
    assert erreur.value.message_dict == {"motifs": ["La motivation tient en 5 000 caractères au plus."]}
    point.refresh_from_db()
    assert point.motifs == ""
