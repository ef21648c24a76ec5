"""R1 Composition: a pure function, with no database access, so it can be tested exhaustively."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from collectifs.enums import College

# (singular, plural) labels used in the French messages.
LIBELLES: dict[str, tuple[str, str]] = {
    College.ELU_RESPONSABLE: ("élu·e ou responsable d'institution", "élu·es ou responsables d'institution"),
    College.PROFESSIONNEL: ("professionnel·le", "professionnel·les"),
    College.HABITANT: ("représentant·e d'habitants ou d'usagers", "représentant·es d'habitants ou d'usagers"),
}


@dataclass(frozen=True)
class Seuils:
    """Minimum number of current members per college; defaults 1/2/2 (R1, 002:813)."""

    elu_responsable: int = 1
    professionnel: int = 2
    habitant: int = 2

    def pour(self, college: str) -> int:
        return {
            College.ELU_RESPONSABLE: self.elu_responsable,
            College.PROFESSIONNEL: self.professionnel,
            College.HABITANT: self.habitant,
        }[College(college)]


@dataclass(frozen=True)
class ResultatComposition:
    """Counts and shortfalls per college."""

    effectifs: dict[str, int]
    manquants: dict[str, int] = field(default_factory=dict)

    @property
    def est_conforme(self) -> bool:
        return not self.manquants

    @property
    def messages(self) -> list[str]:
        """Plain French, e.g. « Il manque 1 représentant·e d'habitants ou d'usagers »."""
        return [message_manque(college, nombre) for college, nombre in self.manquants.items()]

    def lignes(self, seuils: Seuils) -> list[dict[str, object]]:
        """One row per college for display: label, count, minimum, missing."""
        return [
            {
                "college": college,
                "libelle": College(college).label,
                "effectif": self.effectifs.get(college, 0),
                "minimum": seuils.pour(college),
                "manque": self.manquants.get(college, 0),
            }
            for college in College.values
        ]


def message_manque(college: str, nombre: int) -> str:
    singulier, pluriel = LIBELLES[College(college)]
    return f"Il manque {nombre} {singulier if nombre == 1 else pluriel}"


def verifier_composition(colleges: Iterable[str], seuils: Seuils | None = None) -> ResultatComposition:
    """R1: given the colleges of the current members (one entry per person), say which are short and by how many."""
    seuils = seuils or Seuils()
    effectifs = Counter(College(c).value for c in colleges)
    manquants = {
        college: seuils.pour(college) - effectifs.get(college, 0)
        for college in College.values
        if effectifs.get(college, 0) < seuils.pour(college)
    }
    return ResultatComposition(effectifs={c: effectifs.get(c, 0) for c in College.values}, manquants=manquants)
