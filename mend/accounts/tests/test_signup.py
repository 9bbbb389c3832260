from django.test import Client

from mend.accounts.models import Keyring, User

FORM = {
    "username": "nora",
    "display_name": "Nora",
    "email": "",
    "time_zone": "Europe/Lisbon",
    "password1": "correct horse battery 7",
    "password2": "correct horse battery 7",
}


def test_it_works(db: None) -> None:
    response = Client().get("/accounts/signup/")
    assert response.status_code == 200
    assert b"Create your account" in response.content


def test_it_creates_the_account_and_shows_the_recovery_code_once(db: None) -> None:
    client = Client()
    response = client.post("/accounts/signup/", FORM)
    assert response.status_code == 200
    user = User.objects.get(username="nora")
    assert user.time_zone == "Europe/Lisbon"
    code = response.context["code"]
    assert code.encode() in response.content
    # The code opens the key; it is stored nowhere in the clear.
    ring = Keyring.objects.get(user=user)
    assert len(ring.open_with_recovery_code(code)) == 32
    assert code.encode() not in bytes(ring.wrapped_by_recovery)
    assert client.get("/").status_code == 200
    assert b"Create our space" in client.get("/").content


def test_it_refuses_a_weak_password_with_a_clear_message(db: None) -> None:
    response = Client().post(
        "/accounts/signup/", {**FORM, "password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 200
    assert b"too short" in response.content
    assert not User.objects.filter(username="nora").exists()


def test_it_refuses_an_unknown_time_zone(db: None) -> None:
    response = Client().post("/accounts/signup/", {**FORM, "time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert not User.objects.filter(username="nora").exists()


def test_it_refuses_a_taken_username(db: None, ana: User) -> None:
    response = Client().post("/accounts/signup/", {**FORM, "username": "ana"})
    assert response.status_code == 200
    assert b"already exists" in response.content
