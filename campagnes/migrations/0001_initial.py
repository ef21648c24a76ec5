"""The campagnes app takes over the table that instances.0003 renamed: state only, no data moves."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_fsm
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("territoires", "0001_initial"),
        ("instances", "0003_tables_vers_campagnes_et_comptes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Campagne",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        (
                            "annee",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(2015),
                                    django.core.validators.MaxValueValidator(2100),
                                ],
                                verbose_name="année",
                            ),
                        ),
                        (
                            "quota",
                            models.PositiveIntegerField(
                                validators=[django.core.validators.MinValueValidator(1)], verbose_name="nombre de places"
                            ),
                        ),
                        (
                            "enveloppe_annuelle",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=12,
                                validators=[django.core.validators.MinValueValidator(Decimal("0"))],
                                verbose_name="enveloppe annuelle (€)",
                            ),
                        ),
                        (
                            "montant_minimal_annuel",
                            models.DecimalField(
                                decimal_places=2,
                                max_digits=12,
                                validators=[django.core.validators.MinValueValidator(Decimal("0.01"))],
                                verbose_name="montant minimal annuel par collectif (€)",
                            ),
                        ),
                        ("date_ouverture", models.DateField(verbose_name="ouverture des dépôts")),
                        ("date_cloture", models.DateField(verbose_name="clôture des dépôts")),
                        (
                            "seuil_elu_responsable",
                            models.PositiveSmallIntegerField(default=1, verbose_name="minimum d'élu·es ou responsables"),
                        ),
                        (
                            "seuil_professionnel",
                            models.PositiveSmallIntegerField(default=2, verbose_name="minimum de professionnel·les"),
                        ),
                        (
                            "seuil_habitant",
                            models.PositiveSmallIntegerField(default=2, verbose_name="minimum de représentant·es d'habitants"),
                        ),
                        (
                            "plafond_mise_a_disposition",
                            models.DecimalField(
                                decimal_places=2,
                                default=Decimal("20"),
                                max_digits=5,
                                validators=[
                                    django.core.validators.MinValueValidator(Decimal("0")),
                                    django.core.validators.MaxValueValidator(Decimal("100")),
                                ],
                                verbose_name="plafond de mise à disposition (% du temps de travail)",
                            ),
                        ),
                        (
                            "delai_instruction_jours",
                            models.PositiveSmallIntegerField(default=60, verbose_name="délai d'instruction (jours)"),
                        ),
                        (
                            "delai_complements_jours",
                            models.PositiveSmallIntegerField(
                                default=30, verbose_name="délai de réponse aux compléments (jours)"
                            ),
                        ),
                        (
                            "etat",
                            django_fsm.FSMField(
                                choices=[("preparation", "En préparation"), ("ouverte", "Ouverte"), ("close", "Close")],
                                default="preparation",
                                max_length=50,
                                protected=True,
                                verbose_name="état",
                            ),
                        ),
                        ("cree_le", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                        (
                            "departement",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="campagnes",
                                to="territoires.departement",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "campagne",
                        "ordering": ["-annee", "departement"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("departement", "annee"), name="campagne_unique_par_departement_annee"
                            ),
                            models.CheckConstraint(condition=models.Q(("quota__gte", 1)), name="campagne_quota_positif"),
                            models.CheckConstraint(
                                condition=models.Q(("enveloppe_annuelle__gte", 0)), name="campagne_enveloppe_positive"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("montant_minimal_annuel__gt", 0)), name="campagne_montant_minimal_positif"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("date_cloture__gte", models.F("date_ouverture"))),
                                name="campagne_dates_ordonnees",
                            ),
                        ],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
            ],
        ),
    ]
