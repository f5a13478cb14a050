"""A group room: the booker brings along another member, who can then change the meeting."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.people import history, open_browser, sign_up, start_room
from tests.e2e.scheduling import open_picker, send_default_invite


def test_booker_invites_another_room_member_as_guest(browser, app_url, screenshot):
    people = {
        "host": open_browser(browser, "Europe/Berlin", "en-GB"),
        "booker": open_browser(browser, "Asia/Tokyo", "en-GB"),
        "third": open_browser(browser, "America/Sao_Paulo", "en-GB"),
    }
    host, booker, third = (ctx.new_page() for ctx in people.values())
    sign_up(host, app_url, "Greta Host", "greta@e2e.test")
    sign_up(booker, app_url, "Kenji Booker", "kenji@e2e.test")
    sign_up(third, app_url, "Lia Third", "lia@e2e.test")
    start_room(host, "kenji@e2e.test, lia@e2e.test", name="Launch team")
    booker.get_by_role("link", name="Launch team").click()
    third.get_by_role("link", name="Launch team").click()

    send_default_invite(host)
    picker = open_picker(booker)
    expect(picker.get_by_text("Times shown in Asia/Tokyo (JST)")).to_be_visible()
    # Only the other members are offered: not the host, not the booker.
    expect(picker.get_by_role("checkbox")).to_have_count(1)
    picker.get_by_role("checkbox", name="Lia Third").click()
    screenshot(booker, "40-picker-also-invite")
    picker.get_by_role("button", name=re.compile(r"^\d\d:\d\d$")).first.click()
    picker.get_by_role("button", name="Confirm").click()
    expect(picker).to_be_hidden(timeout=5000)

    card = history(third)
    expect(card.get_by_text("Greta Host, Kenji Booker, Lia Third")).to_be_visible(timeout=3000)
    expect(card.get_by_text(re.compile(r"\d\d:\d\d – \d\d:\d\d UTC-03:00"))).to_be_visible()
    expect(card.get_by_role("button", name="Reschedule")).to_be_visible()
    screenshot(third, "41-guest-sees-meeting")
    for ctx in people.values():
        ctx.close()
