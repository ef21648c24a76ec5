"""Helpers for the data migrations that move a model from one app to another (the layers of CONVENTIONS §2).

Data migrations import this module: keep its functions stable, as a migration written today must still run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Operation = Callable[[Any, Any], None]


def renommer_types_de_contenu(anciens: list[tuple[str, str]], nouvelle_app: str) -> tuple[Operation, Operation]:
    """RunPython forward and backward operations that move content types (and so the journal rows, documents and
    permissions that point at them) from their old app label to `nouvelle_app`. A content type that already exists
    under the target label is left alone (Django would have created it for an empty table)."""

    def deplacer(apps: Any, depuis: str, vers: str, model: str) -> None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=vers, model=model).exists():
            ContentType.objects.filter(app_label=depuis, model=model).update(app_label=vers)

    def operation(apps: Any, schema_editor: Any) -> None:
        for app_label, model in anciens:
            deplacer(apps, app_label, nouvelle_app, model)

    def retour(apps: Any, schema_editor: Any) -> None:
        for app_label, model in anciens:
            deplacer(apps, nouvelle_app, app_label, model)

    return operation, retour
