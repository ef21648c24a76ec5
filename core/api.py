"""API-wide helpers: domain errors become JSON with French messages per field; shared responses and renderers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.viewsets import GenericViewSet

from core.exceptions import ActionImpossible


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Django's ValidationError (raised by services) to a 400 with {field: [messages]}."""
    if isinstance(exc, DjangoValidationError):
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


class PDFRenderer(BaseRenderer):
    """Passes PDF bytes through, so that `Accept: application/pdf` is honoured; errors stay JSON text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False).encode()


class PageMixin(GenericViewSet):  # type: ignore[type-arg]
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
