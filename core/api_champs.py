"""API fields and helpers for codes given by clients (a département, a quartier prioritaire, a thème).

PostgreSQL cannot hold a NUL byte ("\\x00") in a text: a lookup with one raises a DataError (a 500) where SQLite
just finds nothing. DRF's and Django's CharFields refuse the byte already; the lookups below refuse it the same
way, with the same French message, before the database sees it."""

from __future__ import annotations

from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404
from rest_framework import serializers

OCTET_NUL = "\x00"
MESSAGE_OCTET_NUL = ProhibitNullCharactersValidator.message  # « Le caractère nul n’est pas autorisé. »


def contient_octet_nul(valeur: object) -> bool:
    """True for a text (a path or query parameter, a body value) that no lookup may send to the database."""
    return isinstance(valeur, str) and OCTET_NUL in valeur


def code_du_chemin(valeur: str) -> str:
    """A code taken from the URL path: one holding a NUL byte names nothing (404), like an unknown code."""
    if contient_octet_nul(valeur):
        raise Http404
    return valeur


class ChampCode(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A reference by code (`slug_field`, "code" by default): a value holding a NUL byte is refused with the
    message every text field gives; an unknown code keeps DRF's « L'objet avec code=… n'existe pas. »."""

    default_error_messages = {"octet_nul": MESSAGE_OCTET_NUL}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if contient_octet_nul(data):
            self.fail("octet_nul")
        return super().to_internal_value(data)
