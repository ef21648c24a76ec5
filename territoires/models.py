"""Reference data: the départements of the official geographic code (COG)."""

from django.db import models


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
