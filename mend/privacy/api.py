from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from mend.privacy.models import AccessLog

router = Router(tags=["privacy"])


class AccessLogOut(Schema):
    viewed_at: datetime
    viewer: str
    viewer_role: str
    kind: str
    object_code: str


@router.get("/access-log", response=list[AccessLogOut])
def access_log(request: HttpRequest) -> list[AccessLogOut]:
    entries = AccessLog.objects.for_member(request.user).order_by("-viewed_at")[:500]
    return [
        AccessLogOut(
            viewed_at=e.viewed_at,
            viewer=e.viewer_name,
            viewer_role=e.viewer_role,
            kind=e.kind,
            object_code=str(e.object_code),
        )
        for e in entries
    ]
