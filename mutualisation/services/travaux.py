"""Long jobs with visible progress (R15: « national consolidation runs as a background job with visible progress »).

The life of a `Travail`:

    travail_lancer (en_attente) → travail_demarrer (en_cours) → avancer… → terminer (termine) | echouer (echoue)

- At most one active job (en attente or en cours) per key: the service refuses a second one with a French message,
  and the database's partial unique constraint `un_travail_actif_par_cle` holds under concurrency.
- A job whose worker died (killed, machine restarted) stops writing its heartbeat: past 2 × BATTEMENT it is stale
  (`Travail.est_bloque`). Launching again marks the stale one « échoué » and starts a new one, so a job is never
  stuck « en cours »: the page offers « Relancer », and `manage.py travaux_relancer` does the same from cron.
- The worker writes its progress with `avancer`, each call in its own short transaction (call it outside any
  transaction: the page, in another connection, then sees each step as soon as it is written). A worker whose job
  was taken over (marked failed and relaunched) learns it at its next `avancer`: `TravailInterrompu`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comptes.models import Acteur, personne
from mutualisation.enums import TRAVAIL_ACTIF, EtatTravail
from mutualisation.models import Travail

DEJA_EN_COURS = "Un travail est déjà en cours pour « {cle} » : attendez qu'il se termine avant d'en lancer un autre."
ABANDONNE = "Le travail ne donnait plus signe de vie (worker arrêté ?) : il a été abandonné puis relancé."
LONGUEUR_ETAPE = 200
ERREURS_GARDEES = 20


class TravailInterrompu(Exception):
    """The job is no longer « en cours » for this worker (it was marked failed and relaunched): stop quietly."""


@dataclass(frozen=True)
class Progression:
    """What a page shows of a job: its state, step, done/total and percentage, and whether it is stale."""

    etat: str
    etat_libelle: str
    etape: str
    fait: int
    total: int
    pourcentage: int
    actif: bool
    bloque: bool


def progression(travail: Travail) -> Progression:
    bloque = travail.est_bloque()
    return Progression(
        etat=travail.etat,
        etat_libelle=travail.get_etat_display(),
        etape=travail.etape,
        fait=travail.fait,
        total=travail.total,
        pourcentage=travail.pourcentage,
        actif=travail.etat in TRAVAIL_ACTIF and not bloque,
        bloque=bloque,
    )


def _erreur(travail: Travail, message: str) -> list[dict[str, str]]:
    erreurs = [*travail.erreurs, {"le": timezone.now().isoformat(), "message": message[:2000]}]
    return erreurs[-ERREURS_GARDEES:]


def travail_lancer(*, nature: str, cle: str, acteur: Acteur | None) -> Travail:
    """Create the job of `cle`, « en attente » of the worker. Refused (ValidationError, French) while another job of
    the same key is active and alive; a stale one is marked « échoué » first. Runs in the caller's transaction when
    there is one (the caller then queues the task after commit)."""
    with transaction.atomic():
        actifs = list(Travail.objects.select_for_update().filter(cle=cle, etat__in=TRAVAIL_ACTIF))
        maintenant = timezone.now()
        for ancien in actifs:
            if not ancien.est_bloque(maintenant):
                raise ValidationError(DEJA_EN_COURS.format(cle=cle))
            ancien.etat = EtatTravail.ECHOUE
            ancien.termine_le = maintenant
            ancien.erreurs = _erreur(ancien, ABANDONNE)
            ancien.save(update_fields=["etat", "termine_le", "erreurs"])
        try:
            # A concurrent launch may insert between our read and our write: the partial unique index refuses it.
            with transaction.atomic():
                return Travail.objects.create(nature=nature, cle=cle, lance_par=personne(acteur))
        except IntegrityError as erreur:
            raise ValidationError(DEJA_EN_COURS.format(cle=cle)) from erreur


def travail_demarrer(travail_id: int) -> Travail:
    """The worker takes the job: « en cours », heartbeat now, one more attempt. TravailInterrompu when the job is
    no longer waiting for a worker (finished, failed, or already taken)."""
    maintenant = timezone.now()
    with transaction.atomic():
        travail = Travail.objects.select_for_update().get(pk=travail_id)
        if travail.etat != EtatTravail.EN_ATTENTE:
            raise TravailInterrompu(f"Travail {travail_id} : {travail.get_etat_display().lower()}.")
        travail.etat = EtatTravail.EN_COURS
        travail.demarre_le = travail.battement = maintenant
        travail.tentatives += 1
        travail.save(update_fields=["etat", "demarre_le", "battement", "tentatives"])
    return travail


def avancer(travail: Travail, etape: str, fait: int, total: int) -> None:
    """Write the job's progress and heartbeat, in its own short transaction (committed at once when called outside
    a transaction, as the worker does). TravailInterrompu when the job is no longer « en cours »."""
    etape = etape[:LONGUEUR_ETAPE]
    maintenant = timezone.now()
    with transaction.atomic():
        ecrits = Travail.objects.filter(pk=travail.pk, etat=EtatTravail.EN_COURS).update(
            etape=etape, fait=fait, total=total, battement=maintenant
        )
    if not ecrits:
        raise TravailInterrompu(f"Travail {travail.pk} : plus en cours.")
    travail.etape, travail.fait, travail.total, travail.battement = etape, fait, total, maintenant


def terminer(travail: Travail, etape: str = "Terminé") -> None:
    """The job is done: « terminé », progress full. Call it inside the transaction that writes the job's result, so
    that both land together; TravailInterrompu (rolling it back) when the job was taken over meanwhile."""
    with transaction.atomic():
        verrou = Travail.objects.select_for_update().get(pk=travail.pk)
        if verrou.etat != EtatTravail.EN_COURS:
            raise TravailInterrompu(f"Travail {travail.pk} : plus en cours.")
        maintenant = timezone.now()
        verrou.etat = EtatTravail.TERMINE
        verrou.etape = etape
        verrou.fait = verrou.total = max(verrou.total, verrou.fait, 1)
        verrou.termine_le = verrou.battement = maintenant
        verrou.save(update_fields=["etat", "etape", "fait", "total", "termine_le", "battement"])
    for champ in ("etat", "etape", "fait", "total", "termine_le", "battement"):
        setattr(travail, champ, getattr(verrou, champ))


def echouer(travail: Travail, erreur: str) -> None:
    """The job failed: « échoué », with the error kept (the page shows it and offers « Relancer »). Its own
    transaction; nothing happens when it is no longer active."""
    with transaction.atomic():
        verrou = Travail.objects.select_for_update().get(pk=travail.pk)
        if verrou.etat not in TRAVAIL_ACTIF:
            return
        verrou.etat = EtatTravail.ECHOUE
        verrou.termine_le = timezone.now()
        verrou.erreurs = _erreur(verrou, erreur)
        verrou.save(update_fields=["etat", "termine_le", "erreurs"])
    travail.etat, travail.termine_le, travail.erreurs = verrou.etat, verrou.termine_le, verrou.erreurs


def travaux_bloques(nature: str | None = None) -> list[Travail]:
    """The active jobs whose worker stopped giving signs of life (stale), oldest first."""
    qs = Travail.objects.filter(etat__in=TRAVAIL_ACTIF).order_by("cree_le", "pk")
    if nature:
        qs = qs.filter(nature=nature)
    maintenant = timezone.now()
    return [t for t in qs if t.est_bloque(maintenant)]
