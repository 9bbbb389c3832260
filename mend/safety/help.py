"""Support resources for the help page: deployment configuration, not code."""

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FIELDS = ("name", "phone", "url", "notes")


def resources() -> list[dict[str, str]]:
    """Return the deployment's resources from MEND_HELP_RESOURCES_FILE, or none."""
    if not settings.HELP_RESOURCES_FILE:
        return []
    path = Path(settings.HELP_RESOURCES_FILE)
    try:
        data: Any = json.loads(path.read_text())
    except (OSError, ValueError) as e:
        raise ImproperlyConfigured(
            f"MEND_HELP_RESOURCES_FILE: cannot read {path} as JSON: {e}"
        ) from e
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and item.get("name") for item in data
    ):
        raise ImproperlyConfigured(
            "MEND_HELP_RESOURCES_FILE must hold a JSON list of objects with a name."
        )
    return [{field: str(item.get(field, "")) for field in FIELDS} for item in data]
