"""API fields and helpers: codes given by clients (a département, a quartier prioritaire, a thème), and the labels
of choice fields (`LibelleChoix`).

PostgreSQL cannot hold a NUL byte ("\\x00") in a text: a lookup with one raises a DataError (a 500) where SQLite
just finds nothing. DRF's and Django's CharFields refuse the byte already; the lookups below refuse it the same
way, with the same French message, before the database sees it."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
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


@cache
def _libelles(modele: Any, champ: str) -> dict[Any, str]:
    """The labels of a choice field of a model, by value (code constants: cached for the process)."""
    field = modele._meta.get_field(champ)
    assert isinstance(field, models.Field)
    return {valeur: str(libelle) for valeur, libelle in field.flatchoices}


class LibelleChoix(serializers.CharField):
    """The label of a choice field, written `LibelleChoix(source="get_etat_display")` like a CharField, read from
    the field's choices: DRF inspects the signature of a method source on every row (30 µs), a list of 50 rows
    paid it 50 times for each label."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance: Any) -> Any:
        champ = str(self.source).removeprefix("get_").removesuffix("_display")
        valeur = getattr(instance, champ)
        modele: Any = type(instance)
        return _libelles(modele, champ).get(valeur, valeur)
