"""Demo users, rooms and messages for a first local start.

Run as `python -m meetapp.seed`. It never touches a database that already
has users, so it is safe to call on every start.
"""

from __future__ import annotations

from sqlmodel import Session, select

from meetapp.db import open_session
from meetapp.models import User
from meetapp.services import auth, rooms

DEMO_PASSWORD = "meetapp-demo"
DEMO_USERS = (
    ("ana@example.com", "Ana Sousa", "Europe/Lisbon"),
    ("ben@example.com", "Ben Carter", "America/New_York"),
    ("priya@example.com", "Priya Nair", "Asia/Kolkata"),
)


def seed_demo_data(db: Session) -> list[User] | None:
    """Create the demo data on an empty database.

    Args:
        db: Database session.

    Returns:
        The demo users created, or None when the database already had users.
    """
    if db.exec(select(User.id)).first() is not None:
        return None
    ana, ben, priya = (
        auth.sign_up(db, email=email, name=name, password=DEMO_PASSWORD, timezone=zone)
        for email, name, zone in DEMO_USERS
    )
    direct = rooms.create_room(db, ana, name="", emails=[ben.email])
    rooms.post_text(db, direct.id, ben, "Hi Ana, thanks for the proposal. Can we talk this week?")
    rooms.post_text(db, direct.id, ana, "Sure! I'll share my availability here.")
    team = rooms.create_room(db, ana, name="Website redesign", emails=[ben.email, priya.email])
    rooms.post_text(db, team.id, priya, "Designs for the landing page are in the shared folder.")
    rooms.post_text(db, team.id, ben, "Great, let's review them together.")
    return [ana, ben, priya]


def main() -> None:
    """Seed the configured database and print the demo sign-ins."""
    with open_session() as db:
        created = seed_demo_data(db)
    if created is None:
        print("Database already has users; demo data not added.")
        return
    print(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for user in created:
        print(f"  {user.email:<20} {user.name:<12} {user.timezone}")


if __name__ == "__main__":
    main()
