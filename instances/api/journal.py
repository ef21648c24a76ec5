"""API of the research-action journal of a collectif (R10): its dated entries, read by the collectif's référents,
its current accompagnateur, the département's instructeurs and national staff (404 for anyone else), and written
by the current accompagnateur only (403 for the other readers). Entries are never edited nor deleted."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from collectifs.models import Collectif
from core.api import INVALIDE, SANS_DROIT, IdentifiantsMixin, exiger
from instances.models import LONGUEUR_ENTREE_JOURNAL, EntreeJournal
from instances.permissions import can_ecrire_journal
from instances.selectors import collectifs_du_journal_visible_to, journal_du_collectif
from instances.services_journal import entree_journal_ajouter

INTROUVABLE = OpenApiResponse(description="Collectif ou entrée inexistant·e, ou journal hors de votre périmètre.")


class EntreeJournalSerializer(serializers.ModelSerializer):
    """A dated entry of the journal, as read and as written (the date and the text only)."""

    accompagnateur = serializers.CharField(
        source="accompagnateur.__str__", read_only=True, help_text="L'accompagnateur·rice qui l'a écrite."
    )
    texte = serializers.CharField(
        max_length=LONGUEUR_ENTREE_JOURNAL, help_text=f"L'entrée ({LONGUEUR_ENTREE_JOURNAL} caractères au plus)."
    )

    class Meta:
        model = EntreeJournal
        fields = ["id", "date", "texte", "accompagnateur", "cree_le"]
        read_only_fields = ["id", "accompagnateur", "cree_le"]
        extra_kwargs = {
            "date": {"help_text": "Le jour de ce qui est relaté, aujourd'hui au plus tard."},
            "cree_le": {"help_text": "Date et heure de saisie."},
        }


@extend_schema(
    parameters=[OpenApiParameter("collectif_pk", int, OpenApiParameter.PATH, description="Identifiant du collectif.")]
)
@extend_schema_view(
    list=extend_schema(
        summary="Journal de recherche-action d'un collectif",
        description="Les entrées datées, les plus récentes d'abord (R10).",
        responses={200: EntreeJournalSerializer(many=True), 404: INTROUVABLE},
    ),
    retrieve=extend_schema(
        summary="Consulter une entrée du journal", responses={200: EntreeJournalSerializer, 404: INTROUVABLE}
    ),
)
class EntreeJournalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, IdentifiantsMixin):
    """Journal de recherche-action d'un collectif (R10) : lu par le collectif, son accompagnateur·rice et le service
    instructeur ; écrit par l'accompagnateur·rice seul·e. Une entrée ne se modifie pas."""

    serializer_class = EntreeJournalSerializer
    http_method_names = ["get", "post", "head", "options"]

    def _collectif(self) -> Collectif:
        if not hasattr(self, "_collectif_visible"):
            self._collectif_visible = get_object_or_404(
                collectifs_du_journal_visible_to(self.request.user), pk=self.kwargs["collectif_pk"]
            )
        return self._collectif_visible

    def get_queryset(self) -> QuerySet[EntreeJournal]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return EntreeJournal.objects.none()
        return journal_du_collectif(self._collectif())

    @extend_schema(
        summary="Ajouter une entrée au journal",
        description="L'accompagnateur·rice affecté·e au collectif seulement.",
        request=EntreeJournalSerializer,
        responses={201: EntreeJournalSerializer, 400: INVALIDE, 403: SANS_DROIT, 404: INTROUVABLE},
    )
    def create(self, request: Request, collectif_pk: str | None = None) -> Response:
        collectif = self._collectif()
        exiger(
            can_ecrire_journal(request.user, collectif),
            "Seul·e l'accompagnateur·rice du collectif écrit dans son journal.",
        )
        serializer = EntreeJournalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entree = entree_journal_ajouter(
            acteur=request.user,
            collectif=collectif,
            date_entree=serializer.validated_data["date"],
            texte=serializer.validated_data["texte"],
        )
        return Response(EntreeJournalSerializer(entree).data, status=status.HTTP_201_CREATED)
