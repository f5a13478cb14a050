"""Scheduling steps in a room (invite, picker, reschedule, cancel), as browser steps."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from playwright.sync_api import Locator, Page, expect

from tests.e2e.people import history

TIME_LABEL = re.compile(r"^\d{1,2}:\d\d")
MONTH_TITLE = re.compile(r"^[A-Z][a-z]+ \d{4}$")  # "March 2027", above the month grid


def day_label(day: date) -> str:
    """The accessible name of a date in the picker's month grid, e.g. "Monday 15 March"."""
    return f"{day:%A} {day.day} {day:%B}"


def send_default_invite(host: Page, duration: str = "30 min") -> None:
    """Open the wizard in the room and send the host's current hours unchanged.

    A host without a linked calendar first meets the Calendar step, and skips it.
    """
    host.get_by_role("button", name="Schedule a meeting").first.click()
    wizard = host.get_by_role("dialog")
    expect(wizard).to_be_visible()
    if wizard.get_by_role("button", name="Skip").count():
        wizard.get_by_role("button", name="Skip").click()
    wizard.get_by_role("button", name="Next").click()
    wizard.get_by_role("button", name=duration).click()
    wizard.get_by_role("button", name="Send invite").click()
    expect(wizard).to_be_hidden()


def open_picker(guest: Page) -> Locator:
    """Open the schedule dialog from the room's invitation card; return the dialog."""
    expect(history(guest).get_by_text("Meeting invitation")).to_be_visible(timeout=5000)
    history(guest).get_by_role("button", name="Schedule a meeting").click()
    picker = guest.get_by_role("dialog")
    expect(picker.get_by_role("grid", name="Available dates")).to_be_visible()
    return picker


def show_month(picker: Locator, day: date) -> None:
    """Page the month grid forward, one shown month at a time, to the month of ``day``."""
    title = picker.get_by_text(MONTH_TITLE)
    shown = datetime.strptime(title.inner_text(), "%B %Y").date()
    for _ in range((day.year - shown.year) * 12 + day.month - shown.month):
        shown = (shown + timedelta(days=31)).replace(day=1)
        picker.get_by_role("button", name="Next month").click()
        expect(title).to_have_text(f"{shown:%B} {shown.year}")


def show_day(picker: Locator, day: date) -> list[str]:
    """Select ``day`` in the month grid; return its offered start times as shown."""
    show_month(picker, day)
    picker.get_by_role("button", name=day_label(day)).click()
    expect(picker.get_by_role("heading", name=f"{day:%A}, {day.day} {day:%B}")).to_be_visible()
    return picker.get_by_role("button", name=TIME_LABEL).all_inner_texts()


def confirm_time(picker: Locator, time: str) -> None:
    """Choose a start time of the selected day and press its Confirm button."""
    picker.get_by_role("button", name=time, exact=True).click()
    picker.get_by_role("button", name="Confirm").click()


def start_reschedule(page: Page, reason: str) -> Locator:
    """Press "Reschedule" on the meeting card with a reason; return the picker it opens."""
    history(page).get_by_role("button", name="Reschedule").click()
    page.get_by_label("Reason (optional)").fill(reason)
    page.get_by_role("button", name="Choose a new time").click()
    picker = page.get_by_role("dialog")
    expect(picker.get_by_text("Reschedule the meeting")).to_be_visible()
    return picker


def cancel_meeting(page: Page, reason: str) -> None:
    """Cancel the meeting from its card, giving a reason."""
    history(page).get_by_role("button", name="Cancel meeting").click()
    page.get_by_label("Reason (optional)").fill(reason)
    page.get_by_role("dialog").get_by_role("button", name="Cancel meeting").click()
