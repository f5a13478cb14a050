"""Host in Lisbon shares availability; invitee in Los Angeles books, reschedules, cancels."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.e2e.people import history, open_browser, sign_up, start_room
from tests.e2e.scheduling import (
    cancel_meeting,
    confirm_time,
    day_label,
    open_picker,
    show_day,
    start_reschedule,
)


def test_share_book_reschedule_cancel_across_zones_and_dst(browser, app_url, screenshot):
    host_ctx = open_browser(browser, "Europe/Lisbon", "en-GB")
    guest_ctx = open_browser(browser, "America/Los_Angeles", "en-US")
    host, guest = host_ctx.new_page(), guest_ctx.new_page()
    sign_up(host, app_url, "Hana Host", "hana@e2e.test")
    sign_up(guest, app_url, "Gil Guest", "gil@e2e.test")
    start_room(host, "gil@e2e.test")
    guest.get_by_role("link", name="Hana Host").click()

    # Wizard: skip calendars, shorten Monday, copy it to Tuesday, block a date, 30 min.
    host.get_by_role("button", name="Schedule a meeting").click()
    wizard = host.get_by_role("dialog")
    wizard.get_by_role("button", name="Skip").click()
    expect(wizard.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    wizard.get_by_label("Monday end").select_option("12:00")
    wizard.get_by_label("Monday start").select_option("13:00")
    expect(wizard.get_by_role("alert").first).to_have_text("End must be after start")
    expect(wizard.get_by_role("button", name="Next")).to_be_disabled()
    wizard.get_by_label("Monday start").select_option("09:00")
    wizard.get_by_role("button", name="Copy times to…").first.click()
    tuesday = host.get_by_role("checkbox", name="Tuesday")
    tuesday.click()
    expect(tuesday).to_be_checked()
    host.get_by_role("button", name="Apply").click()
    expect(wizard.get_by_label("Tuesday end")).to_have_value("12:00")
    wizard.get_by_label("Date", exact=True).fill("2027-03-16")
    wizard.get_by_role("button", name="Add date").click()
    expect(wizard.get_by_text("Tue 16 Mar 2027")).to_be_visible()
    # Giving the date hours and removing its only range blocks it again, keeping the date.
    blocked = wizard.get_by_role("checkbox", name="Unavailable all day")
    blocked.click()
    expect(wizard.get_by_label("Tue 16 Mar 2027 start")).to_have_value("09:00")
    wizard.get_by_role("button", name="Remove Tue 16 Mar 2027 range", exact=True).click()
    expect(blocked).to_be_checked()
    expect(wizard.get_by_text("Tue 16 Mar 2027")).to_be_visible()
    screenshot(host, "10-wizard-availability")
    wizard.get_by_role("button", name="Next").click()
    wizard.get_by_role("button", name="30 min").click()
    wizard.get_by_label("Message (optional)").fill("Kick-off call")
    wizard.get_by_text("Advanced").click()
    horizon = wizard.get_by_label("Bookable up to N days ahead")
    horizon.fill("150")
    horizon.blur()
    screenshot(host, "11-wizard-duration")
    wizard.get_by_role("button", name="Send invite").click()
    expect(wizard).to_be_hidden()

    # The invite appears live for the guest; the picker shows Los Angeles times.
    picker = open_picker(guest)
    expect(picker.get_by_text("Times shown in America/Los_Angeles (PST)")).to_be_visible()
    screenshot(guest, "12-picker")
    # Across the US DST change (14 Mar 2027) and the EU one (28 Mar 2027):
    # 09:00 in Lisbon is 1:00 AM PST, then 2:00 AM PDT, then 1:00 AM again.
    assert show_day(picker, date(2027, 3, 8))[0] == "1:00 AM"
    assert show_day(picker, date(2027, 3, 15))[0] == "2:00 AM"
    assert show_day(picker, date(2027, 3, 29))[0] == "1:00 AM"
    expect(picker.get_by_role("button", name=day_label(date(2027, 3, 16)))).to_be_disabled()
    screenshot(guest, "13-picker-march-dst")
    show_day(picker, date(2027, 3, 15))
    confirm_time(picker, "2:30 AM")
    expect(picker.get_by_role("status")).to_contain_text("Monday, 15 March, 2:30 AM – 3:00 AM PDT")
    expect(picker).to_be_hidden(timeout=5000)

    # The meeting card, in each reader's own zone.
    expect(history(host).get_by_text(re.compile(r"09:30 – 10:00 WET"))).to_be_visible(timeout=3000)
    expect(history(guest).get_by_text(re.compile(r"2:30 AM – 3:00 AM PDT"))).to_be_visible()
    screenshot(host, "14-meeting-card-host")
    screenshot(guest, "15-meeting-card-guest")
    history(guest).get_by_role("button", name="Add to calendar").click()
    google_link = guest.get_by_role("link", name="Google Calendar")
    assert "calendar.google.com" in google_link.get_attribute("href")
    ics_href = guest.get_by_role("link", name="Download .ics").get_attribute("href")
    guest.keyboard.press("Escape")
    ics = guest.request.get(app_url + ics_href if ics_href.startswith("/") else ics_href)
    assert ics.ok
    assert "BEGIN:VEVENT" in ics.text()
    assert "DTSTART:20270315T093000Z" in ics.text()

    # Reschedule with a reason, then cancel.
    picker = start_reschedule(guest, "Clash with a flight")
    show_day(picker, date(2027, 3, 15))
    confirm_time(picker, "3:00 AM")
    expect(history(host).get_by_text("Rescheduled", exact=True)).to_be_visible(timeout=5000)
    expect(history(host).get_by_text(re.compile("Clash with a flight")).first).to_be_visible()
    screenshot(host, "16-rescheduled")

    cancel_meeting(host, "Project paused")
    expect(history(guest).get_by_text("Cancelled", exact=True)).to_be_visible(timeout=3000)
    expect(history(guest).get_by_text(re.compile("Project paused")).first).to_be_visible()
    screenshot(guest, "17-cancelled")
    host_ctx.close()
    guest_ctx.close()
