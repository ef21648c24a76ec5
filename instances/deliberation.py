"""R5 deliberation rules as pure functions: quorum and majority. No database access."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from instances.enums import ChoixVote


@dataclass(frozen=True)
class Quorum:
    """Quorum: strictly more than `fraction` of the voting members are present (default: more than half)."""

    votants: int
    presents: int
    fraction: Decimal

    @property
    def requis(self) -> int:
        """The smallest number of present voting members that meets the quorum."""
        return math.floor(self.fraction * self.votants) + 1

    @property
    def atteint(self) -> bool:
        return self.votants > 0 and self.presents >= self.requis

    @property
    def message(self) -> str:
        etat = "atteint" if self.atteint else "non atteint"
        return (
            f"Quorum {etat} : {self.presents} membre(s) votant(s) présent(s) sur {self.votants}, {self.requis} requis."
        )


def calculer_quorum(*, votants: int, presents: int, fraction: Decimal = Decimal("0.5")) -> Quorum:
    return Quorum(votants=votants, presents=presents, fraction=fraction)


@dataclass(frozen=True)
class ResultatVote:
    """Counts of one vote. Simple majority of the votes cast: abstentions are not cast (R5)."""

    pour: int
    contre: int
    abstention: int

    @property
    def exprimes(self) -> int:
        return self.pour + self.contre

    @property
    def adopte(self) -> bool:
        """Favourable when « pour » outnumbers « contre »; a tie is not a majority."""
        return self.pour > self.contre

    @property
    def libelle(self) -> str:
        return f"{self.pour} pour, {self.contre} contre, {self.abstention} abstention(s)"


def compter_votes(choix: Iterable[str]) -> ResultatVote:
    compte = Counter(ChoixVote(c) for c in choix)
    return ResultatVote(
        pour=compte[ChoixVote.POUR], contre=compte[ChoixVote.CONTRE], abstention=compte[ChoixVote.ABSTENTION]
    )
