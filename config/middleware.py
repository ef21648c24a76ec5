"""Deny by default: every page needs a login, except public views and the API. And an API request whose body is
too large is refused, in JSON, before anything reads it.

The API authenticates inside DRF (token or session) and denies by default through
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]; Django's middleware runs before DRF's token
authentication, so it would wrongly redirect token-authenticated API calls to the login page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string

PREFIXE_API = "/api/"


class LoginRequiredMiddleware(BaseLoginRequiredMiddleware):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path_info.startswith(PREFIXE_API):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class LimiteCorpsApiMiddleware:
    """413 in JSON for an API request declaring a body above DATA_UPLOAD_MAX_MEMORY_SIZE.

    Django checks that limit only when it reads a form or `request.body`; DRF's JSON parser reads the stream
    directly, so without this a JSON body of any size would be read and validated. A body that turns out too large
    while being read (RequestDataTooBig) becomes the same 413 in core.api.exception_handler."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limite = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limite is not None and request.path_info.startswith(PREFIXE_API):
            try:
                longueur = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                longueur = 0
            if longueur > limite:
                return JsonResponse(
                    {"detail": f"La requête est trop volumineuse : {limite // 1024} Kio au plus."}, status=413
                )
        return self.get_response(request)


class MethodeNonAutoriseeMiddleware:
    """A page action (`require_POST`) opened as a link gets Django's empty 405: give people a French page that says
    what happened and that nothing changed. The API keeps DRF's JSON answer; the Allow header is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        reponse = self.get_response(request)
        if (
            reponse.status_code != 405
            or request.path_info.startswith(PREFIXE_API)
            or not isinstance(reponse, HttpResponse)
            or reponse.content
        ):
            return reponse
        page = HttpResponse(render_to_string("405.html", request=request), status=405)
        if reponse.has_header("Allow"):
            page["Allow"] = reponse["Allow"]
        return page
