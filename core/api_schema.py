"""The OpenAPI schema documents the error answers every operation can give (a drf-spectacular postprocessing hook).

They come from shared code, not from each view: the path ids no object can have and the objects hidden from the
role (core.api.IdentifiantsMixin, the scoped selectors: 404), the pagination and filter parameters (core.api_pagination:
400), authentication (401) and throttling (429). The schema fuzzing (tests/test_schemathesis.py) checks that every
status code the API answers is documented."""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings

PARAMETRES_REFUSES = "Paramètres ou données refusés : messages en français par champ."
NON_AUTHENTIFIE = "Authentification requise : jeton (`Authorization: Token …`) ou session."
INTROUVABLE = "Ressource introuvable, ou invisible pour ce rôle."
TROP_DE_REQUETES = "Trop de requêtes : réessayez après le délai indiqué par l’en-tête `Retry-After`."
METHODES = ("get", "put", "patch", "post", "delete")


def reponses_communes(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Add the shared error answers that an operation can give and does not document yet."""
    limite = bool(api_settings.DEFAULT_THROTTLE_CLASSES)
    for chemin, operations in result.get("paths", {}).items():
        for methode, operation in operations.items():
            if methode not in METHODES:
                continue
            reponses = operation.setdefault("responses", {})
            parametres = operation.get("parameters", [])
            ajouts = {}
            if "requestBody" in operation or any(p.get("in") == "query" for p in parametres):
                ajouts["400"] = PARAMETRES_REFUSES
            if {} not in operation.get("security", [{}]):
                ajouts["401"] = NON_AUTHENTIFIE
            if "{" in chemin:
                ajouts["404"] = INTROUVABLE
            if limite:
                ajouts["429"] = TROP_DE_REQUETES
            for code, description in ajouts.items():
                reponses.setdefault(code, {"description": description})
            operation["responses"] = dict(sorted(reponses.items()))
    return result
