from typing import Any

from django.conf import settings
from django.http import HttpRequest


def safety(request: HttpRequest) -> dict[str, Any]:
    return {"quick_exit_url": settings.QUICK_EXIT_URL}
