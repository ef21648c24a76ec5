"""API of the reference data: the départements of the official geographic code (COG)."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from territoires.models import Departement
from territoires.selectors import departements


class DepartementSerializer(serializers.ModelSerializer):
    class Meta:
        model = Departement
        fields = ["code", "nom"]
        extra_kwargs = {
            "code": {"help_text": "Code officiel géographique (COG), par exemple 42, 2A ou 974."},
            "nom": {"help_text": "Nom du département."},
        }


class DepartementViewSet(viewsets.ReadOnlyModelViewSet):
    """Les 101 départements (données de référence versionnées, jamais récupérées à l'exécution).

    La liste n'est pas paginée : elle est courte et fixe."""

    queryset = departements()
    serializer_class = DepartementSerializer
    pagination_class = None
    lookup_field = "code"
    lookup_value_regex = "[0-9]{2,3}|2[AB]"
