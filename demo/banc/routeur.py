"""The bench's database router: every read and write goes to the alias held in `ALIAS_COURANT`, so that the same
test-client request runs against the national dataset ("default") or the one-département one ("loire").

Only `config.settings.banc` installs it. Data migrations that do not say `.using(...)` would follow the context
too, which is why `scripts/bench.sh` migrates and fills each database with its own `DATABASE_URL` (alias
"default"), and only `banc_mesurer` reads both through this router."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS

ALIAS_COURANT: ContextVar[str] = ContextVar("banc_alias_courant", default=DEFAULT_DB_ALIAS)


@contextmanager
def sur(alias: str) -> Iterator[str]:
    """Route every query of the block to `alias`."""
    jeton = ALIAS_COURANT.set(alias)
    try:
        yield alias
    finally:
        ALIAS_COURANT.reset(jeton)


class RouteurBanc:
    """Reads and writes to the current alias; relations are allowed (both databases have the same schema)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return ALIAS_COURANT.get()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return ALIAS_COURANT.get()

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return True
