"""Routes of mutualisation and capitalisation (R13, R14, R15, R18). Each block belongs to one views module."""

from django.urls import path

from mutualisation.views import catalogue as vues_catalogue
from mutualisation.views import donnees as vues_donnees
from mutualisation.views import fiches as vues_fiches
from mutualisation.views import prix as vues_prix
from mutualisation.views import rapports as vues_rapports
from mutualisation.views import rencontres as vues_rencontres
from mutualisation.views import syntheses as vues_syntheses

app_name = "mutualisation"

urlpatterns: list = [
    # --- rencontres: departmental meetings, invitations, attendance, notes and documents (views.rencontres) ---
    path("rencontres/", vues_rencontres.rencontres, name="rencontres"),
    path("rencontres/departements/<str:code>/", vues_rencontres.rencontres_departement, name="rencontres_departement"),
    path("rencontres/departements/<str:code>/nouvelle/", vues_rencontres.rencontre_nouvelle, name="rencontre_nouvelle"),
    path("rencontres/<int:pk>/", vues_rencontres.rencontre, name="rencontre"),
    path("rencontres/<int:pk>/modifier/", vues_rencontres.rencontre_modifier, name="rencontre_modifier"),
    path("rencontres/<int:pk>/inviter/", vues_rencontres.rencontre_inviter, name="rencontre_inviter"),
    path("rencontres/<int:pk>/presences/", vues_rencontres.rencontre_presences, name="rencontre_presences"),
    path("rencontres/<int:pk>/notes/", vues_rencontres.rencontre_compte_rendu, name="rencontre_compte_rendu"),
    path("rencontres/<int:pk>/documents/", vues_rencontres.piece_deposer, name="rencontre_piece_deposer"),
    path("rencontres/<int:pk>/documents/<int:piece_pk>/", vues_rencontres.piece, name="rencontre_piece"),
    path("rencontres/<int:pk>/annuler/", vues_rencontres.rencontre_annuler, name="rencontre_annuler"),
    # --- fiches: practice sheets, their lifecycle, the sheet's PDF (views.fiches) ---
    path("collectifs/<int:pk>/fiches/", vues_fiches.fiches_collectif, name="fiches_collectif"),
    path("collectifs/<int:pk>/fiches/nouvelle/", vues_fiches.fiche_nouvelle, name="fiche_nouvelle"),
    path("fiches/<int:pk>/", vues_fiches.fiche, name="fiche"),
    path("fiches/<int:pk>/publier/", vues_fiches.fiche_publier, name="fiche_publier"),
    path("fiches/<int:pk>/renvoyer/", vues_fiches.fiche_retourner, name="fiche_retourner"),
    path("fiches/<int:pk>/retenir/", vues_fiches.fiche_retenir, name="fiche_retenir"),
    path("fiches/departements/<str:code>/", vues_fiches.fiches_departement, name="fiches_departement"),
    path("fiches/nationales/", vues_fiches.fiches_nationales, name="fiches_nationales"),
    path("fiches/conventions/<int:pk>/cloturer/", vues_fiches.convention_cloturer, name="convention_cloturer"),
    # --- catalogue: the public catalogue /pratiques/ and its search (views.catalogue) ---
    path("pratiques/", vues_catalogue.catalogue, name="catalogue"),
    path("pratiques/<int:pk>/", vues_catalogue.fiche, name="pratique"),
    path("pratiques/<int:pk>/pdf/", vues_catalogue.fiche_pdf, name="pratique_pdf"),
    # --- syntheses: the département's yearly synthesis (views.syntheses) ---
    path("syntheses/", vues_syntheses.syntheses, name="syntheses"),
    path("syntheses/generer/", vues_syntheses.synthese_generer, name="synthese_generer"),
    path("syntheses/<int:pk>/", vues_syntheses.synthese, name="synthese"),
    path("syntheses/<int:pk>/generer/", vues_syntheses.synthese_regenerer, name="synthese_regenerer"),
    path("syntheses/<int:pk>/transmettre/", vues_syntheses.synthese_transmettre, name="synthese_transmettre"),
    path("syntheses/<int:pk>/pdf/", vues_syntheses.synthese_pdf, name="synthese_pdf"),
    # --- rapports: the national report, its job's progress, open-data files (views.rapports) ---
    path("rapports/", vues_rapports.rapports, name="rapports"),
    path("rapports/lancer/", vues_rapports.rapport_lancer, name="rapport_lancer"),
    path("rapports/<int:annee>/", vues_rapports.rapport, name="rapport"),
    path("rapports/<int:annee>/progression/", vues_rapports.rapport_progression, name="rapport_progression"),
    path("rapports/<int:annee>/relancer/", vues_rapports.rapport_relancer, name="rapport_relancer"),
    path("rapports/<int:annee>/pdf/", vues_rapports.rapport_pdf, name="rapport_pdf"),
    path("rapports/<int:annee>/donnees.csv", vues_rapports.rapport_csv, name="rapport_csv"),
    path("rapports/<int:annee>/donnees.json", vues_rapports.rapport_json, name="rapport_json"),
    # --- prix: departmental and national prizes (views.prix) ---
    path("prix/gestion/", vues_prix.prix_liste, name="prix_liste"),
    path("prix/gestion/nouveau/", vues_prix.prix_nouveau, name="prix_nouveau"),
    path("prix/gestion/<int:pk>/", vues_prix.prix, name="prix"),
    path("prix/gestion/<int:pk>/nominations/", vues_prix.prix_nominer, name="prix_nominer"),
    path(
        "prix/gestion/<int:pk>/nominations/laureates-departementales/",
        vues_prix.prix_nominer_laureats,
        name="prix_nominer_laureats",
    ),
    path("prix/gestion/<int:pk>/jury/", vues_prix.prix_jury, name="prix_jury"),
    path("prix/gestion/<int:pk>/ouvrir-jury/", vues_prix.prix_ouvrir_jury, name="prix_ouvrir_jury"),
    path("prix/gestion/<int:pk>/nominations/<int:nomination_pk>/noter/", vues_prix.prix_noter, name="prix_noter"),
    path("prix/gestion/<int:pk>/proclamer/", vues_prix.prix_proclamer, name="prix_proclamer"),
    path("prix/<int:annee>/", vues_prix.prix_public, name="prix_public"),
    # --- donnees: public open data (views.donnees) ---
    path("donnees-ouvertes/", vues_donnees.donnees_ouvertes, name="donnees_ouvertes"),
    path("donnees-ouvertes/collectifs-agrees.csv", vues_donnees.collectifs_agrees_csv, name="donnees_collectifs_csv"),
    path(
        "donnees-ouvertes/collectifs-agrees.json", vues_donnees.collectifs_agrees_json, name="donnees_collectifs_json"
    ),
    path("donnees-ouvertes/fiches-publiees.csv", vues_donnees.fiches_publiees_csv, name="donnees_fiches_csv"),
    path("donnees-ouvertes/fiches-publiees.json", vues_donnees.fiches_publiees_json, name="donnees_fiches_json"),
]
