from django.test import Client

from conftest import PASSWORD
from mend.journal.models import JournalEntry


def confirmed(client: Client) -> Client:
    """Return CLIENT after confirming the password, as before anything irreversible."""
    response = client.post("/accounts/confirm/", {"password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def write(client: Client, body: str, share: bool = False) -> JournalEntry:
    data = {"title": "t", "body": body}
    if share:
        data["share"] = "on"
    assert client.post("/journal/new/", data).status_code == 302
    return JournalEntry.objects.latest("created_at")
