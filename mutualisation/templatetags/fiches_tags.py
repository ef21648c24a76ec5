"""SPEC §5: `{% cloture_convention convention %}` shows what a collectif's convention still misses to close its
three-year cycle (the year-3 check-in validated, the practice sheet proposed), and the button to close it for the
département's instructeurs once nothing is missing. The lead places it on the convention's page; the collectif's
sheets page shows it too."""

from __future__ import annotations

from typing import Any

from django import template

from fonds import permissions as permissions_fonds
from fonds.enums import EtatConvention
from fonds.models import Convention
from mutualisation.selectors.fiches import ce_qui_manque_pour_cloturer

register = template.Library()


@register.inclusion_tag("mutualisation/fiches/_cloture.html", takes_context=True)
def cloture_convention(context: Any, convention: Convention) -> dict[str, Any]:
    requete = context.get("request")
    user = getattr(requete, "user", None)
    manques = ce_qui_manque_pour_cloturer(convention)
    return {
        "convention": convention,
        "manques": manques,
        "peut_cloturer": not manques
        and convention.etat != EtatConvention.CLOTUREE
        and user is not None
        and permissions_fonds.can_gerer_convention(user, convention),
        "csrf_token": context.get("csrf_token"),
    }
