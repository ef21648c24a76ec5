"""Deny by default: every page needs a login, except public views and the API.

The API authenticates inside DRF (token or session) and denies by default through
REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]; Django's middleware runs before DRF's token
authentication, so it would wrongly redirect token-authenticated API calls to the login page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as BaseLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase

PREFIXE_API = "/api/"


class LoginRequiredMiddleware(BaseLoginRequiredMiddleware):
    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path_info.startswith(PREFIXE_API):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
