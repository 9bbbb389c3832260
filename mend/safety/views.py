from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def neutral(request: HttpRequest) -> HttpResponse:
    """Where quick exit lands by default: an ordinary page that says nothing of Mend."""
    return render(request, "safety/neutral.html")
