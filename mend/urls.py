from django.urls import include, path

from mend.api import api

urlpatterns = [
    path("", include("mend.home.urls")),
    path("", include("mend.couples.urls")),
    path("accounts/", include("mend.accounts.urls")),
    path("privacy/", include("mend.privacy.urls")),
    path("journal/", include("mend.journal.urls")),
    path("agreements/", include("mend.agreements.urls")),
    path("", include("mend.live.urls")),
    path("", include("mend.safety.urls")),
    path("", include("mend.webapp.urls")),
    path("intimacy/", include("mend.intimacy.urls")),
    path("story/", include("mend.story.urls")),
    path("checkins/", include("mend.checkins.urls")),
    path("calendar/", include("mend.calendar.urls")),
    path("reminders/", include("mend.notify.urls")),
    path("commitments/", include("mend.commitments.urls")),
    path("conversations/", include("mend.conversations.urls")),
    path("counselor/", include("mend.counselor.urls")),
    path("api/", api.urls),
]
