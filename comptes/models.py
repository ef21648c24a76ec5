"""User accounts (the e-mail address is the identifier, compared case-insensitively) and instructeurs."""

from __future__ import annotations

from typing import Any, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from territoires.models import Departement


class UserManager(BaseUserManager["User"]):
    """Creates users with a normalised (lower-case) e-mail."""

    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=normaliser_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("est_equipe_nationale", True)
        return self.create_user(email, password, **extra)


def normaliser_email(email: str) -> str:
    """The e-mail is the identifier: stored trimmed and in lower case."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Collectif members without e-mail are not users (SPEC §2)."""

    email = models.EmailField("adresse électronique", max_length=254, unique=True)
    prenom = models.CharField("prénom", max_length=100, blank=True)
    nom = models.CharField("nom", max_length=100, blank=True)
    is_active = models.BooleanField("actif", default=True)  # type: ignore[assignment,misc]
    is_staff = models.BooleanField("accès à l'administration", default=False)
    est_equipe_nationale = models.BooleanField("équipe nationale", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []  # type: ignore[misc]

    class Meta:
        verbose_name = "utilisateur·rice"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.nom_complet or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normaliser_email(self.email)
        super().save(*args, **kwargs)

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}".strip()


class Instructeur(models.Model):
    """A user who instructs declarations for one or more départements."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="instructeur")
    departements = models.ManyToManyField(Departement, related_name="instructeurs")

    class Meta:
        verbose_name = "instructeur·rice"

    def __str__(self) -> str:
        return str(self.user)


# Whoever acts or reads: a person with an account, or an anonymous visitor (services and predicates take both).
Acteur: TypeAlias = User | AnonymousUser


def personne(acteur: Acteur | None) -> User | None:
    """The account behind an actor: the user when logged in, None for an anonymous visitor or a job without one.
    Services write it where a row records who acted (journal, documents, authors)."""
    return acteur if isinstance(acteur, User) and acteur.is_authenticated else None
