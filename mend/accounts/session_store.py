"""Django's database sessions, with each session key stored only as a keyed hash.

Rule: a row copied from the session table or a backup cannot be turned back into a
cookie. The browser holds the key; the table holds HMAC(secret key, key), so
looking a session up needs the cookie and the server's secret together.
"""

from datetime import datetime
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone
from django.utils.crypto import salted_hmac

SALT = "mend.accounts.session_store"


def stored_key(session_key: str) -> str:
    """Return the row key kept for SESSION_KEY (Django's column holds 40 characters)."""
    return salted_hmac(SALT, session_key, algorithm="sha256").hexdigest()[:40]


class SessionStore(DatabaseStore):
    # When the row read for this request expires: how long a live stream opened with
    # this session may stay open before it must ask again (mend/live/stream.py).
    expires_at: datetime | None = None

    def _get_session_from_db(self) -> Any:
        if self.session_key is None:
            return None
        try:
            row = self.model.objects.get(
                session_key=stored_key(self.session_key),
                expire_date__gt=timezone.now(),
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None
        self.expires_at = row.expire_date
        return row

    async def _aget_session_from_db(self) -> Any:
        if self.session_key is None:
            return None
        try:
            row = await self.model.objects.aget(
                session_key=stored_key(self.session_key),
                expire_date__gt=timezone.now(),
            )
        except self.model.DoesNotExist:
            self._session_key = None
            return None
        self.expires_at = row.expire_date
        return row

    def exists(self, session_key: str) -> bool:
        return bool(
            self.model.objects.filter(session_key=stored_key(session_key)).exists()
        )

    async def aexists(self, session_key: str) -> bool:
        return bool(
            await self.model.objects.filter(
                session_key=stored_key(session_key)
            ).aexists()
        )

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        obj = super().create_model_instance(data)
        obj.session_key = stored_key(obj.session_key)
        return obj

    async def acreate_model_instance(self, data: dict[str, Any]) -> Any:
        obj = await super().acreate_model_instance(data)
        obj.session_key = stored_key(obj.session_key)
        return obj

    def delete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is not None:
            self.model.objects.filter(session_key=stored_key(session_key)).delete()

    async def adelete(self, session_key: str | None = None) -> None:
        session_key = session_key or self.session_key
        if session_key is not None:
            await self.model.objects.filter(
                session_key=stored_key(session_key)
            ).adelete()
