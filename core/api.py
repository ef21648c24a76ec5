"""API-wide helpers: domain errors become JSON with French messages per field; shared responses and renderers."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from core.exceptions import ActionImpossible


class CorpsTropVolumineux(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "La requête est trop volumineuse."
    default_code = "corps_trop_volumineux"


class TropDeRequetes(exceptions.Throttled):
    """DRF's 429, in French: « Trop de requêtes. Réessayez dans N secondes. » (DRF adds the Retry-After header)."""

    default_code = "trop_de_requetes"

    def __init__(self, wait: float | None = None) -> None:
        if wait is None:
            detail = "Trop de requêtes. Réessayez plus tard."
        else:
            secondes = max(1, math.ceil(wait))
            detail = f"Trop de requêtes. Réessayez dans {secondes} seconde{'s' if secondes > 1 else ''}."
            wait = secondes
        super().__init__(detail=detail)
        self.wait = wait


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Django's ValidationError (raised by services) to a 400 with {field: [messages]}; French 413 and 429."""
    if isinstance(exc, exceptions.Throttled) and not isinstance(exc, TropDeRequetes):
        exc = TropDeRequetes(getattr(exc, "wait", None))
    elif isinstance(exc, RequestDataTooBig):
        exc = CorpsTropVolumineux()
    elif isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, ActionImpossible):
        exc = exceptions.ValidationError({"non_field_errors": [str(exc)]})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Ressource introuvable.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


SANS_DROIT = OpenApiResponse(description="Action non autorisée pour ce rôle sur cet objet.")
INVALIDE = OpenApiResponse(description="Données refusées : messages en français par champ.")


def exiger(autorise: bool, message: str | None = None) -> None:
    """403 for an action the user may not take on an object they can see."""
    if not autorise:
        raise exceptions.PermissionDenied(message)


class RenduBinaire(BaseRenderer):
    """Passes a file's bytes through, so that its `Accept:` media type (and `?format=`) is honoured; errors stay
    JSON text. Subclasses set only `media_type` and `format`."""

    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class PDFRenderer(RenduBinaire):
    """Passes PDF bytes through (`Accept: application/pdf`)."""

    media_type = "application/pdf"
    format = "pdf"


# --- Identifiers and pagination: a parameter the database cannot hold is a 400 (or a 404), never a 500 ---------

# Ids are BigAutoField: 1 … 2**63 - 1. A larger number overflows SQLite's INTEGER (OverflowError).
ID_MAX = 2**63 - 1


class IdentifiantField(serializers.IntegerField):
    """An object id given as a parameter (a filter, a reference in a body): an integer from 1 to ID_MAX."""

    default_error_messages = {
        "invalid": "Un identifiant est un nombre entier.",
        "min_value": "Un identifiant est un entier positif.",
        "max_value": "Cet identifiant est trop grand.",
        "max_string_length": "Cet identifiant est trop long.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)


def est_identifiant(valeur: object) -> bool:
    """True when `valeur` (a path parameter) is a decimal id the database can hold."""
    texte = str(valeur)
    return texte.isascii() and texte.isdigit() and 1 <= int(texte) <= ID_MAX


class IdentifiantRelatedField(serializers.PrimaryKeyRelatedField):  # type: ignore[type-arg]
    """A reference by id in a body: a number no object can have is « does not exist », not an overflow (500)."""

    def to_internal_value(self, data: Any) -> Any:
        texte = str(data).strip()
        nombre = not isinstance(data, bool) and isinstance(data, int | str) and texte.lstrip("-").isdigit()
        if nombre and not est_identifiant(texte):
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class IdentifiantsMixin(GenericViewSet):  # type: ignore[type-arg]
    """Path ids (`pk`, `collectif_pk`, `seance_pk`…) that no object can have answer 404 before any query."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        for nom, valeur in kwargs.items():
            if (nom == "pk" or nom.endswith("_pk")) and not est_identifiant(valeur):
                raise exceptions.NotFound("Ressource introuvable.")


class PageMixin(IdentifiantsMixin):
    """One way to answer a paginated list whose serializer needs extra context (documents of the page…)."""

    def page_repondre(
        self,
        queryset: Any,
        serializer: Any,
        contexte: Callable[[list[Any]], dict[str, Any]] | None = None,
    ) -> Response:
        """Paginate `queryset`, serialize the page with the view's context plus `contexte(objets)`, answer."""
        page = self.paginate_queryset(queryset)
        objets = list(page if page is not None else queryset)
        extra = contexte(objets) if contexte is not None else {}
        donnees = serializer(objets, many=True, context={**self.get_serializer_context(), **extra}).data
        return self.get_paginated_response(donnees) if page is not None else Response(donnees)
