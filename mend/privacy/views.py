from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from mend.accounts.http import AuthenticatedHttpRequest
from mend.couples.context_processors import current_space
from mend.privacy.models import AccessLog


@login_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if current_space(request) is None:
        return redirect("couples:home")
    entries = AccessLog.objects.for_member(request.user).order_by("-viewed_at")[:500]
    return render(request, "privacy/access_log.html", {"entries": entries})
