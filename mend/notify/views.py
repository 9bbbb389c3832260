from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mend.notify.models import TOPICS, read_stop_token, set_email


# The signed token is the proof; no sign-in is needed. GET only asks, so a mail
# scanner that follows links stops nothing; the one click is the page's button.
def stop(request: HttpRequest, token: str) -> HttpResponse:
    found = read_stop_token(token)
    if found is None:
        return render(request, "notify/stop.html", {"invalid": True}, status=404)
    user, topic = found
    if request.method == "POST":
        set_email(user, topic, False)
        return render(
            request, "notify/stop.html", {"label": TOPICS[topic], "done": True}
        )
    if request.method != "GET":
        return HttpResponse(status=405)
    return render(request, "notify/stop.html", {"label": TOPICS[topic]})
