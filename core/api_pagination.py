"""The API's pagination (REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]). A module of its own: DRF imports it while
`rest_framework.viewsets` loads, so it must not import the viewsets (core.api does)."""

from __future__ import annotations

from rest_framework import exceptions, pagination
from rest_framework.request import Request


class Pagination(pagination.LimitOffsetPagination):
    """`limit` (1 to LIMITE_MAX, larger values are capped) and `offset` (0 to DECALAGE_MAX); anything else is a 400."""

    LIMITE_MAX = 200
    DECALAGE_MAX = 10**9
    max_limit = LIMITE_MAX

    def _entier(self, request: Request, parametre: str, minimum: int) -> int | None:
        brut = request.query_params.get(parametre)
        if brut is None or brut == "":
            return None
        texte = brut.strip()
        if not (texte.lstrip("-").isascii() and texte.lstrip("-").isdigit()) or len(texte) > 30:
            raise exceptions.ValidationError({parametre: [f"Le paramètre « {parametre} » doit être un nombre entier."]})
        valeur = int(texte)
        if valeur < minimum:
            raise exceptions.ValidationError(
                {parametre: [f"Le paramètre « {parametre} » doit valoir au moins {minimum}."]}
            )
        return valeur

    def get_limit(self, request: Request) -> int | None:
        limite = self._entier(request, self.limit_query_param, 1)
        if limite is None:
            return self.default_limit
        return min(limite, self.LIMITE_MAX)

    def get_offset(self, request: Request) -> int:
        decalage = self._entier(request, self.offset_query_param, 0)
        if decalage is None:
            return 0
        if decalage > self.DECALAGE_MAX:
            raise exceptions.ValidationError(
                {self.offset_query_param: [f"Le paramètre « offset » ne peut pas dépasser {self.DECALAGE_MAX}."]}
            )
        return decalage
