"""The common part of the test worlds: a world is built on top of the shared `distribution` (tests/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass
class SurDistribution:
    """A world on top of the shared `distribution`.

    Attributes the world lacks (collectif_a, referent_b, campagne…) are read from the distribution.
    `utilisateur(role)` gives the user of a role: the world's own attribute for the roles named in
    `ROLES_PROPRES`, the distribution's otherwise (None for « anonyme »)."""

    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ()

    distribution: Any

    def __getattr__(self, nom: str) -> Any:
        # Private and dunder names are never delegated (copy, pickle and cached_property look them up).
        if nom.startswith("_") or nom == "distribution":
            raise AttributeError(nom)
        return getattr(self.distribution, nom)

    def utilisateur(self, role: str) -> Any:
        if role in self.ROLES_PROPRES:
            return getattr(self, role)
        return self.distribution.utilisateur(role)
