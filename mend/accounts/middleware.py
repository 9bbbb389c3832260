from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control


def personal_pages(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Show times in the person's own zone; never let a cache keep a signed-in page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            timezone.activate(user.tzinfo)  # type: ignore[union-attr]  # our User has tzinfo
        else:
            timezone.deactivate()
        response = get_response(request)
        if user.is_authenticated or not request.path.startswith("/static/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware
