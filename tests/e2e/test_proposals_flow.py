"""Nothing fits: the invitee in Kolkata suggests times; the host in New York accepts one."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Locator, Page, expect

from tests.e2e.people import history, open_browser, sign_up, start_room
from tests.e2e.scheduling import confirm_time, open_picker, send_default_invite, show_day

HOST_ZONE, GUEST_ZONE = ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")


def _meeting_day() -> date:
    """A Tuesday to Thursday well inside the default notice and 30-day horizon."""
    day = datetime.now(HOST_ZONE).date() + timedelta(days=4)
    while day.weekday() not in (1, 2, 3):
        day += timedelta(days=1)
    return day


def _guest_wall(day: date, host_clock: time) -> datetime:
    """The guest's wall time of a New York wall time."""
    return datetime.combine(day, host_clock, tzinfo=HOST_ZONE).astimezone(GUEST_ZONE)


def _open_picker_on(guest: Page, local: datetime) -> Locator:
    picker = open_picker(guest)
    expect(picker.get_by_text("Times shown in Asia/Kolkata (IST)")).to_be_visible()
    show_day(picker, local.date())
    return picker


def test_suggest_times_and_host_accepts_one(browser, app_url, screenshot):
    host_ctx = open_browser(browser, "America/New_York", "en-US")
    guest_ctx = open_browser(browser, "Asia/Kolkata", "en-GB")
    host, guest = host_ctx.new_page(), guest_ctx.new_page()
    sign_up(host, app_url, "Nora Host", "nora@e2e.test")
    sign_up(guest, app_url, "Ishaan Guest", "ishaan@e2e.test")
    start_room(host, "ishaan@e2e.test")
    guest.get_by_role("link", name="Nora Host").click()
    day = _meeting_day()
    taken, free = _guest_wall(day, time(10)), _guest_wall(day, time(11))

    # A first meeting makes 10:00 New York busy for the host.
    send_default_invite(host)
    picker = _open_picker_on(guest, taken)
    confirm_time(picker, f"{taken:%H:%M}")
    expect(picker).to_be_hidden(timeout=5000)

    # A second invite: the guest suggests that busy time and a free one instead.
    send_default_invite(host)
    _open_picker_on(guest, taken)
    picker.get_by_role("button", name="Suggest another time").click()
    expect(picker.get_by_role("heading", name="Suggest another time")).to_be_visible()
    picker.get_by_label("Suggested date 1").fill("2020-01-07")
    picker.get_by_role("button", name="Send suggestions").click()
    expect(picker.get_by_role("alert")).to_have_text("Suggest times in the future")
    picker.get_by_label("Suggested date 1").fill(taken.date().isoformat())
    picker.get_by_label("Suggested time 1").select_option(f"{taken:%H:%M}")
    picker.get_by_role("button", name="Add another time").click()
    picker.get_by_label("Suggested date 2").fill(free.date().isoformat())
    picker.get_by_label("Suggested time 2").select_option(f"{free:%H:%M}")
    screenshot(guest, "30-suggest-times")
    picker.get_by_role("button", name="Send suggestions").click()
    expect(picker).to_be_hidden()

    # The host reads both in New York time; the busy one is marked and cannot be taken.
    card = (
        history(host)
        .get_by_text("Suggested times")
        .locator("xpath=ancestor::div[contains(@class, 'message-card')]")
    )
    expect(card).to_be_visible(timeout=3000)
    taken_label = f"{day:%a} {day.day} {day:%b}, 10:00 AM"
    free_label = f"{day:%a} {day.day} {day:%b}, 11:00 AM"
    expect(card.get_by_text(taken_label)).to_be_visible()
    expect(card.get_by_text("Clashes with your calendar")).to_have_count(1)
    expect(card.get_by_role("button", name=f"Accept {taken_label}")).to_be_disabled()
    expect(history(guest).get_by_text("Waiting for Nora Host to answer.")).to_be_visible()
    screenshot(host, "31-suggested-times-host")
    card.get_by_role("button", name=f"Accept {free_label}").click()

    # Booked: the invite became the meeting, in each reader's zone; the card says Accepted.
    expect(card.get_by_text("Accepted", exact=True)).to_be_visible(timeout=3000)
    guest_range = f"{free:%H:%M} – {free + timedelta(minutes=30):%H:%M} IST"
    expect(history(guest).get_by_text(guest_range)).to_be_visible(timeout=3000)
    host_zone = datetime.combine(day, time(11), tzinfo=HOST_ZONE).tzname()
    expect(history(host).get_by_text(f"11:00 AM – 11:30 AM {host_zone}")).to_be_visible()
    expect(
        history(guest).get_by_text(re.compile("Nora Host accepted the time Ishaan Guest suggested"))
    ).to_be_visible()
    screenshot(guest, "32-suggestion-accepted-guest")

    # Another invite: this time the host declines, with a reason everyone reads.
    send_default_invite(host)
    _open_picker_on(guest, free)
    picker.get_by_role("button", name="Suggest another time").click()
    picker.get_by_label("Suggested date 1").fill(free.date().isoformat())
    picker.get_by_label("Suggested time 1").select_option("23:00")
    picker.get_by_role("button", name="Send suggestions").click()
    expect(picker).to_be_hidden()
    history(host).get_by_role("button", name="Decline").click()
    host.get_by_label("Reason (optional)").fill("Fully booked that week")
    host.get_by_role("dialog").get_by_role("button", name="Decline").click()
    expect(history(guest).get_by_text("Declined", exact=True)).to_be_visible(timeout=3000)
    expect(history(guest).get_by_text("Reason: Fully booked that week", exact=True)).to_be_visible()
    expect(
        history(guest).get_by_text(
            "Nora Host declined the times Ishaan Guest suggested. Reason: Fully booked that week"
        )
    ).to_be_visible()
    host_ctx.close()
    guest_ctx.close()
