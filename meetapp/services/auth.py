"""Accounts, passwords and sign-in sessions.

A session is an opaque random token: the browser keeps it in a cookie and we
store only its SHA-256, so a leaked database cannot be replayed as logins.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, func, select

from meetapp.models import LoginFailure, User, UserSession, utcnow
from meetapp.services.errors import InvalidInput, ServiceError

_hasher = PasswordHasher()
# Verified when the email is unknown so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

MIN_PASSWORD_LENGTH = 8
FREE_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
MAX_LOCKOUT = timedelta(minutes=15)


class InvalidCredentials(ServiceError):
    """Email or password is wrong (deliberately not saying which)."""

    def __init__(self) -> None:
        super().__init__("Wrong email or password.")


class TooManyAttempts(ServiceError):
    """Sign-in is paused for this email after repeated failures."""

    def __init__(self, retry_after: timedelta) -> None:
        seconds = max(1, int(retry_after.total_seconds()))
        super().__init__(f"Too many attempts. Try again in {seconds} seconds.")
        self.retry_after = retry_after


def normalize_email(email: str) -> str:
    """Return the canonical form of an email address (trimmed, lower case)."""
    return email.strip().lower()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=1)
def known_timezones() -> frozenset[str]:
    """Every IANA zone name this machine knows (read once; the scan is slow)."""
    return frozenset(available_timezones())


# Zones IANA renamed whose old names browsers still report: CLDR, and with it Chrome's
# and Firefox's Intl, keeps the old ids for stability. Only renames of the same place;
# tzdata's other links merge different cities ("Europe/Amsterdam") and must stay.
_RENAMED_ZONES = {
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Catamarca": "America/Argentina/Catamarca",
    "America/Cordoba": "America/Argentina/Cordoba",
    "America/Godthab": "America/Nuuk",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Jujuy": "America/Argentina/Jujuy",
    "America/Louisville": "America/Kentucky/Louisville",
    "America/Mendoza": "America/Argentina/Mendoza",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Europe/Kiev": "Europe/Kyiv",
    "Pacific/Enderbury": "Pacific/Kanton",
    "Pacific/Ponape": "Pacific/Pohnpei",
    "Pacific/Truk": "Pacific/Chuuk",
}


def canonical_timezone(name: str) -> str:
    """A known IANA zone under its current name ("Asia/Calcutta" -> "Asia/Kolkata").

    Unknown names become "UTC", so a bad browser reading never reaches the database.
    """
    name = _RENAMED_ZONES.get(name, name)
    return name if name in known_timezones() else "UTC"


def sign_up(db: Session, *, email: str, name: str, password: str, timezone: str = "UTC") -> User:
    """Create an account.

    Args:
        db: Database session.
        email: Email address; becomes the sign-in name.
        name: Display name.
        password: Plain password, hashed with argon2 before storing.
        timezone: The browser's IANA zone; unknown names fall back to UTC.

    Returns:
        The new user.

    Raises:
        InvalidInput: A field is missing, malformed, or the email is taken.
    """
    email = normalize_email(email)
    name = name.strip()
    if not _EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("email", "Enter a valid email address.")
    if not name or len(name) > 80:
        raise InvalidInput("name", "Enter your name (up to 80 characters).")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password", f"Use a password of at least {MIN_PASSWORD_LENGTH} characters."
        )
    if db.exec(select(User.id).where(User.email == email)).first() is not None:
        raise InvalidInput("email", "An account with this email already exists. Sign in instead.")
    user = User(
        email=email,
        name=name,
        password_hash=_hasher.hash(password),
        timezone=canonical_timezone(timezone),
    )
    db.add(user)
    db.flush()
    return user


def _throttle_delay(failures: int) -> timedelta:
    """Lockout after `failures` recent failures: doubling from 5 s, capped."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=5 * 2 ** (failures - FREE_FAILURES)), MAX_LOCKOUT)


def _check_throttle(db: Session, email: str, now: datetime) -> None:
    recent = select(func.count(), func.max(LoginFailure.created_at)).where(
        LoginFailure.email == email, LoginFailure.created_at > now - FAILURE_WINDOW
    )
    count, last = db.exec(recent).one()
    wait = _throttle_delay(count)
    if wait and last is not None and now < last + wait:
        raise TooManyAttempts(last + wait - now)


def authenticate(db: Session, *, email: str, password: str, now: datetime | None = None) -> User:
    """Check an email and password.

    Args:
        db: Database session.
        email: The email typed.
        password: The password typed.
        now: Current time (injectable for tests).

    Returns:
        The user.

    Raises:
        TooManyAttempts: Too many recent failures for this email.
        InvalidCredentials: The email or password is wrong.
    """
    now = now or utcnow()
    email = normalize_email(email)
    _check_throttle(db, email, now)
    user = db.exec(select(User).where(User.email == email)).first()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        db.add(LoginFailure(email=email, created_at=now))
        db.commit()  # the failure must count even though we raise
        raise InvalidCredentials()
    db.exec(delete(LoginFailure).where(col(LoginFailure.email) == email))
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def start_session(db: Session, user: User, days: int = 30) -> str:
    """Create a sign-in session for `user`.

    Args:
        db: Database session.
        user: The signed-in user.
        days: Lifetime of the session.

    Returns:
        The opaque token for the cookie (only its hash is stored).
    """
    token = secrets.token_urlsafe(32)
    db.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash_token(token),
            expires_at=utcnow() + timedelta(days=days),
        )
    )
    return token


def user_for_token(db: Session, token: str) -> User | None:
    """Return the user a cookie token signs in, or None if absent or expired."""
    if not token:
        return None
    query = (
        select(User)
        .join(UserSession, col(UserSession.user_id) == User.id)
        .where(UserSession.token_hash == _hash_token(token), UserSession.expires_at > utcnow())
    )
    return db.exec(query).first()


def end_session(db: Session, token: str) -> None:
    """Sign a browser out by deleting its session."""
    db.exec(delete(UserSession).where(col(UserSession.token_hash) == _hash_token(token)))


def update_timezone(db: Session, user: User, timezone: str) -> None:
    """Remember the zone the user's browser reports (used for emails and defaults)."""
    zone = canonical_timezone(timezone)
    if user.timezone != zone:
        user.timezone = zone
        db.add(user)
