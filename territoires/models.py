"""Reference data: the départements of the official geographic code (COG), and the quartiers prioritaires de la
politique de la ville (QPV) of the ANCT's official list."""

from django.db import models

LONGUEUR_NOM_QUARTIER = 200  # characters of a quartier prioritaire's official name


class Departement(models.Model):
    """A French département, identified by its COG code (01–19, 2A, 2B, 21–95, 971–974, 976)."""

    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=80)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"

    def contient_commune(self, code_insee: str) -> bool:
        """True when the INSEE commune code belongs to this département (R2, territory)."""
        return code_insee.upper().startswith(self.code)


class QuartierPrioritaire(models.Model):
    """A quartier prioritaire de la politique de la ville (QPV), from the official ANCT list."""

    # The official code, e.g. « QN04201M » (2024 list: QN, the département on three characters, a rank, a letter).
    code = models.CharField("code du quartier", max_length=12, unique=True)
    nom = models.CharField("nom", max_length=LONGUEUR_NOM_QUARTIER)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="quartiers_prioritaires", verbose_name="département"
    )
    # INSEE code of the main commune (the first one listed when the quartier spans several communes).
    code_insee = models.CharField("code INSEE de la commune principale", max_length=5, db_index=True)

    class Meta:
        verbose_name = "quartier prioritaire de la politique de la ville"
        verbose_name_plural = "quartiers prioritaires de la politique de la ville"
        ordering = ["departement", "nom", "code"]
        indexes = [models.Index(fields=["departement", "nom"], name="qpv_departement_nom_idx")]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"
