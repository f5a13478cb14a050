"""Benchmark of the schedule dialog in a real browser against the production build.

Two timings, median of 10 runs after 1 warm-up, for a host with 1,000 busy intervals
in the next 60 days:

- open: click on an invite's "Schedule a meeting" until the dialog's first time slot
  is visible (target <= 300 ms);
- book: click on "Confirm" until the booked meeting's card is visible in the room
  (target <= 500 ms).

How it measures: right before each click, a script in the page records
`performance.now()` when the click event reaches the window (capture phase, before React
sees it) and, once a MutationObserver finds the awaited element rendered and visible (by
Playwright's definition: a non-empty box, not hidden), the time of the next animation
frame, i.e. the frame that paints it. So a sample covers the event over the websocket,
the server's work, the state delta back and React's render, and nothing of Playwright's
own round trips (timing around `click()` + `expect()` in Python would add those, plus
the polling interval of `expect`).

How the host's calendar is set up: a linked CalDAV account (pointing at a closed local
port) with one calendar checked for conflicts, whose busy cache holds the 1,000
intervals and was synced just now, as a sync would leave it. The picker reads the cache
and, the cache being fresh, makes no provider call; the benchmark refuses to report if
any sync was attempted.

Each run books its own invite (an invite books one meeting), one room per invite so
every run sees the same room. Times are in Lisbon (host) and Los Angeles (guest).

Run: .venv/bin/python -m benchmarks.bench_picker (as a module: it starts the app with
the launcher of the browser tests). Needs Debian's chromium; `make bench` installs it.
"""

import os
import random
import re
import statistics
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect, sync_playwright
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from meetapp.calendars.base import RemoteCalendar
from meetapp.db import create_db_engine, open_session
from meetapp.models import CalendarConnection, ExternalBusy, LinkedCalendar, User, utcnow
from meetapp.services import auth, booking, rooms
from meetapp.services.availability import AvailabilityRules, Range, share_availability
from meetapp.services.calendar_accounts import Provider, encrypt_caldav
from meetapp.services.calendar_choices import save_connection, set_check_conflicts
from meetapp.services.calendar_sync import busy_ref
from tests.e2e.appserver import running_app
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.people import history, open_browser, sign_in

HOST_ZONE = "Europe/Lisbon"
GUEST_ZONE = "America/Los_Angeles"
HOST_EMAIL = "hana@bench.test"
GUEST_EMAIL = "gil@bench.test"
PASSWORD = "s3cret-pass"
# Nothing listens there: any provider call would fail and be recorded on the connection.
UNREACHABLE_CALDAV = "http://127.0.0.1:9/dav/"
BUSY_COUNT = 1_000
HORIZON_DAYS = 60
WARMUP = 1
RUNS = 10
OPEN_TARGET_MS = 300.0
BOOK_TARGET_MS = 500.0
# Long enough for the on-load events a room page sends after it renders (the browser's
# clock) to finish, so a measured click never queues behind them.
SETTLE_MS = 500

# Arms the probe described in the module docstring; returns whether the awaited element
# is already there (then the sample would be meaningless).
_ARM_PROBE = r"""
(kind) => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return el.checkVisibility({visibilityProperty: true}) && box.width > 0 && box.height > 0;
  };
  const buttons = (scope) => [...document.querySelectorAll(`${scope} button`)];
  const ready = {
    firstSlot: () => buttons('[role=dialog]')
      .some((b) => /^\d{1,2}:\d\d/.test(b.innerText.trim()) && shown(b)),
    meetingCard: () => buttons('[role=log][aria-label=Messages]')
      .some((b) => b.innerText.trim() === 'Join meeting' && shown(b)),
  }[kind];
  const probe = (window.__benchProbe = {clickedAt: null, shownAt: null});
  window.addEventListener('click', () => { probe.clickedAt = performance.now(); },
                          {capture: true, once: true});
  const observer = new MutationObserver(() => {
    if (probe.clickedAt === null || !ready()) return;
    observer.disconnect();
    requestAnimationFrame(() => { probe.shownAt = performance.now(); });
  });
  observer.observe(document.documentElement,
                   {childList: true, subtree: true, attributes: true, characterData: true});
  return ready();
}
"""
_PROBE_DONE = "() => window.__benchProbe.shownAt !== null"
_PROBE_MS = "() => window.__benchProbe.shownAt - window.__benchProbe.clickedAt"


@dataclass(frozen=True)
class Scenario:
    """What was seeded.

    Attributes:
        room_ids: One room per run (warm-up first), each with one open invite.
        connection_id: The host's calendar connection.
        slot_count: Slots the first invite offers the guest.
        day_count: Guest-local dates those slots fall on.
    """

    room_ids: list[int]
    connection_id: int
    slot_count: int
    day_count: int


def host_rules() -> AvailabilityRules:
    """Broad hours (Mon-Fri 08:00-18:00, Sat 10:00-14:00 Lisbon), 30-minute meetings."""
    weekdays = {day: (Range("08:00", "18:00"),) for day in ("mon", "tue", "wed", "thu", "fri")}
    return AvailabilityRules(
        timezone=HOST_ZONE,
        weekly={**weekdays, "sat": (Range("10:00", "14:00"),)},
        duration_minutes=30,
        horizon_days=HORIZON_DAYS,
    )


def busy_spans(now: datetime, seed: int = 20260325) -> list[tuple[datetime, datetime]]:
    """1,000 blocks of 15-60 minutes at random times (5-minute grid) in the next 60 days."""
    rng = random.Random(seed)
    base = now.replace(second=0, microsecond=0)
    spans = []
    for _ in range(BUSY_COUNT):
        start = base + timedelta(minutes=rng.randrange(0, HORIZON_DAYS * 24 * 60, 5))
        spans.append((start, start + timedelta(minutes=rng.choice([15, 30, 45, 60]))))
    return spans


def link_busy_calendar(db: Session, host: User, now: datetime) -> int:
    """Link a CalDAV calendar checked for conflicts whose fresh cache holds the busy spans.

    Returns:
        The connection id.
    """
    work = RemoteCalendar(
        id="/dav/hana/work/", name="Work", is_primary=False, can_write=False, timezone=HOST_ZONE
    )
    credentials = encrypt_caldav(UNREACHABLE_CALDAV, HOST_EMAIL, "unused")
    connection_id = save_connection(
        db, host.id, Provider.CALDAV, HOST_EMAIL, credentials, [work], None
    )
    calendar = db.exec(
        select(LinkedCalendar).where(LinkedCalendar.connection_id == connection_id)
    ).one()
    set_check_conflicts(db, host.id, calendar.id, True)
    # As a full sync that just finished leaves it (see calendar_sync._apply).
    calendar.sync_token, calendar.synced_at, calendar.full_synced_at = "bench", now, now
    db.add(calendar)
    ref = busy_ref(connection_id, calendar.id)
    db.add_all(
        ExternalBusy(user_id=host.id, calendar_ref=ref, event_id=f"busy-{i}", start=s, end=e)
        for i, (s, e) in enumerate(busy_spans(now))
    )
    return connection_id


def seed(engine: Engine, now: datetime) -> Scenario:
    """Create the host, the guest, the host's calendar and one invite per run."""
    with open_session(engine) as db:
        host = auth.sign_up(
            db, email=HOST_EMAIL, name="Hana Host", password=PASSWORD, timezone=HOST_ZONE
        )
        guest = auth.sign_up(
            db, email=GUEST_EMAIL, name="Gil Guest", password=PASSWORD, timezone=GUEST_ZONE
        )
        connection_id = link_busy_calendar(db, host, now)
        room_ids, invite_ids = [], []
        for number in range(1, WARMUP + RUNS + 1):
            room = rooms.create_room(db, host, name=f"Bench {number:02d}", emails=[GUEST_EMAIL])
            invite_ids.append(share_availability(db, room.id, host, host_rules(), now).id)
            room_ids.append(room.id)
    with open_session(engine) as db:
        days = booking.offered_slots(db, invite_ids[0], guest.id, GUEST_ZONE, now)
    return Scenario(room_ids, connection_id, sum(len(d.times) for d in days), len(days))


def check_no_provider_call(engine: Engine, connection_id: int) -> None:
    """Refuse the figures if anything tried to sync the host's calendar during the runs."""
    with open_session(engine) as db:
        connection = db.get(CalendarConnection, connection_id)
    if connection.last_synced_at is not None or connection.last_sync_error:
        raise RuntimeError(
            "the host's calendar was synced during the benchmark, so the figures include "
            f"provider calls: {connection.last_sync_error or 'sync succeeded'}"
        )


def timed_click(page: Page, target: Locator, awaited: str) -> float:
    """Click `target`; milliseconds from the click event to the frame showing `awaited`."""
    if page.evaluate(_ARM_PROBE, awaited):
        raise RuntimeError(f"{awaited} was already on the page before the click")
    target.click()
    page.wait_for_function(_PROBE_DONE, timeout=10_000)
    return page.evaluate(_PROBE_MS)


def book_in_room(page: Page, base: str, room_id: int) -> tuple[float, float]:
    """Open a room, book its invite at the first offered time; (open ms, book ms)."""
    page.goto(f"{base}/rooms/{room_id}")
    schedule = history(page).get_by_role("button", name="Schedule a meeting")
    expect(schedule).to_be_visible()
    page.wait_for_timeout(SETTLE_MS)
    open_ms = timed_click(page, schedule, "firstSlot")
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text(f"Times shown in {GUEST_ZONE}")).to_be_visible()
    dialog.get_by_role("button", name=re.compile(r"^\d{1,2}:\d\d")).first.click()
    book_ms = timed_click(page, dialog.get_by_role("button", name="Confirm"), "meetingCard")
    # The dialog shows the success message for a while, then closes by itself.
    expect(dialog).to_be_hidden(timeout=5_000)
    return open_ms, book_ms


def measure(url: str, database_url: str) -> tuple[Scenario, list[tuple[float, float]]]:
    """Seed, then book every invite as the guest; (scenario, samples incl. warm-up)."""
    engine = create_db_engine(database_url)
    try:
        scenario = seed(engine, utcnow())
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = open_browser(browser, GUEST_ZONE, "en-US").new_page()
            sign_in(page, url, GUEST_EMAIL, PASSWORD)
            samples = [book_in_room(page, url, room_id) for room_id in scenario.room_ids]
            browser.close()
        check_no_provider_call(engine, scenario.connection_id)
    finally:
        engine.dispose()
    return scenario, samples


def print_runs(samples: list[tuple[float, float]]) -> None:
    """One line per run, the warm-up first."""
    print(f"{'run':<10}{'open ms':>10}{'book ms':>10}")
    for number, (open_ms, book_ms) in enumerate(samples, start=1 - WARMUP):
        label = "warm-up" if number < 1 else str(number)
        print(f"{label:<10}{open_ms:>10.1f}{book_ms:>10.1f}")


def print_summary(open_samples: list[float], book_samples: list[float]) -> None:
    """Median, p90, min and max of each timing against its target."""
    header = f"{'case':<40}{'median':>8}{'p90':>8}{'min':>8}{'max':>8}{'target':>10}  result"
    print(header)
    print("-" * len(header))
    for case, samples, target_ms in (
        ("open: click -> first time slot (ms)", open_samples, OPEN_TARGET_MS),
        ("book: Confirm -> meeting card (ms)", book_samples, BOOK_TARGET_MS),
    ):
        median = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        verdict = "PASS" if median <= target_ms else "MISS"
        figures = f"{median:>8.1f}{p90:>8.1f}{min(samples):>8.1f}{max(samples):>8.1f}"
        print(f"{case:<40}{figures}{f'<= {target_ms:g}':>10}  {verdict}")


def main() -> None:
    """Start the app in a temporary folder, measure, print the figures."""
    with tempfile.TemporaryDirectory(prefix="bench-picker-") as folder:
        # This process encrypts the calendar credentials while seeding: pointed at the
        # app's data folder, it uses (and generates there) the app's own key.
        os.environ["MEETAPP_DATA_DIR"] = folder
        with running_app(Path(folder)) as app:
            scenario, samples = measure(app.url, app.database_url)
    print(
        f"Schedule dialog, prod build, Chromium; host with {BUSY_COUNT:,} busy intervals in "
        f"{HORIZON_DAYS} days (fresh cache, no provider call): "
        f"{scenario.slot_count:,} slots offered on {scenario.day_count} days"
    )
    print_runs(samples)
    print()
    measured = samples[WARMUP:]
    print_summary([o for o, _ in measured], [b for _, b in measured])


if __name__ == "__main__":
    main()
