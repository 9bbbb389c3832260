from django.http import HttpRequest, HttpResponse
from django.urls import path

from mend.urls import urlpatterns as mend_urls


def constant(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/constant/", constant), *mend_urls]
