"""`manage.py charge_preparer`: the load test's accounts, on top of the demo data (`manage.py demo` first).

N accounts per role (demo.charge.ROLES, except the anonymous catalogue), all with the password given in
CHARGE_MOT_DE_PASSE (scripts/charge.sh generates one per run: it is never committed nor printed):
- référents: plain accounts; their collectifs are created by the journeys themselves;
- instructeurs and payers: instructeurs of the Loire (the demo's open campaign and its conventions);
- séance: non-voting members of the Loire instance, so that the quorum of the demo's séances does not change.
Idempotent: a second run resets the passwords and adds what is missing.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Max

from comptes.models import Instructeur, User
from demo.charge import DEPARTEMENT, ROLES, VARIABLE_MOT_DE_PASSE, email_de
from instances.enums import CollegeInstance
from instances.models import InstanceDepartementale, MembreInstance
from territoires.models import Departement

# The séance accounts take rotation ranks far after the demo's members: they never preside.
RANG_ROTATION_CHARGE = 900


class Command(BaseCommand):
    help = "Crée les comptes du test de charge (mot de passe : variable CHARGE_MOT_DE_PASSE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--utilisateurs-par-role", type=int, default=5)
        parser.add_argument("--force", action="store_true", help="Autoriser hors mode DEBUG.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Les comptes de charge ne se créent qu'en mode DEBUG (ou avec --force).")
        mot_de_passe = os.environ.get(VARIABLE_MOT_DE_PASSE, "")
        if not mot_de_passe:
            raise CommandError(f"La variable {VARIABLE_MOT_DE_PASSE} doit donner le mot de passe des comptes.")
        try:
            validate_password(mot_de_passe)
        except ValidationError as erreur:
            raise CommandError(" ".join(erreur.messages)) from erreur
        nombre = options["utilisateurs_par_role"]
        departement = Departement.objects.get(code=DEPARTEMENT)
        instance = InstanceDepartementale.objects.filter(departement=departement).first()
        if instance is None:
            raise CommandError("L'instance de la Loire manque : lancez d'abord manage.py demo.")
        # One hash for every account (the hasher is slow on purpose): throwaway accounts of a throwaway database.
        hache = make_password(mot_de_passe)
        with transaction.atomic():
            for role in ROLES:
                if role == "catalogue":
                    continue  # anonymous
                for rang in range(1, nombre + 1):
                    user = _compte(role, rang, hache)
                    if role in {"instructeur", "paiement"}:
                        instructeur, _ = Instructeur.objects.get_or_create(user=user)
                        instructeur.departements.add(departement)
                    elif role == "seance":
                        _membre(instance, user, rang)
        self.stdout.write(
            self.style.SUCCESS(
                f"Comptes de charge prêts : {nombre} par rôle ({', '.join(r for r in ROLES if r != 'catalogue')})."
            )
        )


def _compte(role: str, rang: int, hache: str) -> User:
    user, cree = User.objects.get_or_create(
        email=email_de(role, rang), defaults={"password": hache, "prenom": role.capitalize(), "nom": str(rang)}
    )
    if not cree:
        user.password = hache
        user.save(update_fields=["password"])
    return user


def _membre(instance: InstanceDepartementale, user: User, rang: int) -> None:
    if MembreInstance.objects.filter(instance=instance, user=user).exists():
        return
    dernier = MembreInstance.objects.filter(instance=instance).aggregate(m=Max("rang_rotation"))["m"] or 0
    MembreInstance.objects.create(
        instance=instance,
        user=user,
        prenom="Séance",
        nom=str(rang),
        institution="Test de charge",
        college=CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
        votant=False,
        rang_rotation=max(dernier + 1, RANG_ROTATION_CHARGE),
    )
