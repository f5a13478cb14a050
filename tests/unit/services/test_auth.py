from datetime import timedelta

import pytest
from sqlmodel import select

from meetapp.models import User, UserSession, utcnow
from meetapp.services import auth
from meetapp.services.errors import InvalidInput


def _ana(db):
    return auth.sign_up(
        db,
        email=" Ana@Example.com ",
        name="Ana",
        password="correct horse",
        timezone="Europe/Lisbon",
    )


def test_sign_up_normalizes_email_and_hashes_password_with_argon2(db):
    user = _ana(db)
    assert user.email == "ana@example.com"
    assert user.password_hash.startswith("$argon2id$")
    assert "correct horse" not in user.password_hash
    assert user.timezone == "Europe/Lisbon"


@pytest.mark.parametrize(
    ("email", "name", "password", "field"),
    [
        ("not-an-email", "Ana", "long enough", "email"),
        ("a@b.co", "", "long enough", "name"),
        ("a@b.co", "Ana", "short", "password"),
    ],
)
def test_sign_up_rejects_bad_fields_and_stores_nothing(db, email, name, password, field):
    with pytest.raises(InvalidInput) as raised:
        auth.sign_up(db, email=email, name=name, password=password)
    assert raised.value.field == field
    assert db.exec(select(User)).first() is None


def test_sign_up_refuses_a_taken_email(db):
    _ana(db)
    with pytest.raises(InvalidInput, match="already exists"):
        auth.sign_up(db, email="ana@example.com", name="Other", password="another password")


def test_unknown_zone_falls_back_to_utc(db):
    user = auth.sign_up(db, email="x@y.io", name="X", password="long enough", timezone="Mars/Base")
    assert user.timezone == "UTC"


def test_wrong_password_and_unknown_email_give_the_same_message(db):
    _ana(db)
    with pytest.raises(auth.InvalidCredentials) as wrong_password:
        auth.authenticate(db, email="ana@example.com", password="nope nope")
    with pytest.raises(auth.InvalidCredentials) as unknown_email:
        auth.authenticate(db, email="nobody@example.com", password="nope nope")
    assert str(wrong_password.value) == str(unknown_email.value) == "Wrong email or password."


def test_repeated_failures_are_slowed_down_then_allowed_again(db):
    _ana(db)
    now = utcnow()
    for _ in range(auth.FREE_FAILURES):
        with pytest.raises(auth.InvalidCredentials):
            auth.authenticate(db, email="ana@example.com", password="wrong one", now=now)
    with pytest.raises(auth.TooManyAttempts) as paused:
        auth.authenticate(db, email="ana@example.com", password="correct horse", now=now)
    assert "Try again in 5 seconds" in paused.value.message
    later = now + timedelta(seconds=6)
    assert auth.authenticate(db, email="ana@example.com", password="correct horse", now=later)


def test_session_token_is_opaque_and_stored_only_as_a_hash(db):
    user = _ana(db)
    token = auth.start_session(db, user)
    db.flush()
    stored = db.exec(select(UserSession)).one()
    assert token not in stored.token_hash
    assert str(user.id) != token
    assert len(token) >= 40
    assert auth.user_for_token(db, token).id == user.id
    assert auth.user_for_token(db, token + "x") is None


def test_expired_and_ended_sessions_sign_nobody_in(db):
    user = _ana(db)
    token = auth.start_session(db, user, days=-1)
    db.flush()
    assert auth.user_for_token(db, token) is None
    live = auth.start_session(db, user)
    db.flush()
    auth.end_session(db, live)
    assert auth.user_for_token(db, live) is None


def test_browser_zone_names_are_read_under_their_current_iana_name():
    assert auth.canonical_timezone("Asia/Calcutta") == "Asia/Kolkata"
    assert auth.canonical_timezone("Europe/Kiev") == "Europe/Kyiv"
    # Cities tzdata merged into another zone keep their own name.
    assert auth.canonical_timezone("Europe/Amsterdam") == "Europe/Amsterdam"
    assert auth.canonical_timezone("Mars/Olympus_Mons") == "UTC"
    assert all(auth.canonical_timezone(old) != "UTC" for old in auth._RENAMED_ZONES)
