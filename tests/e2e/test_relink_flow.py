"""A calendar that stops working: the host is told live, and relinks in one click.

The host (Toronto) links Microsoft. First Graph refuses one read: the guest (Madrid)
still gets times from the last good sync, and the host's open room says the calendar
could not be read until the next read succeeds. Then the host withdraws the consent at
Microsoft (the emulator forgets the grant and the access token expires): the next sync
meets ``invalid_grant``, the host's room shows the relink banner without a reload, and
the Relink button on Manage calendars runs the consent again.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.e2e.calendar_steps import allow_at_provider, link_oauth
from tests.e2e.people import open_browser, sign_up, start_room
from tests.e2e.scheduling import TIME_LABEL, open_picker, send_default_invite

HOST_EMAIL = "rhea.relink@e2e.test"
CALENDAR_ID = "AAMkAGI2-rhea"
DELTA = f"/v1.0/me/calendars/{CALENDAR_ID}/calendarView/delta"  # Graph's incremental read
BANNER_TEXT = "needs relinking"
UNREADABLE_TEXT = f"Could not read your Microsoft calendar {HOST_EMAIL} just now"
ACCESS_DENIED = {"error": {"code": "ErrorAccessDenied", "message": "Access is denied."}}


def _banner(page: Page, text: str = BANNER_TEXT):
    return page.get_by_role("alert").filter(has_text=text)


def _offered_times(picker: Locator) -> list[str]:
    """The start times of the picker's first selected day (it opens on one)."""
    expect(picker.get_by_role("button", name=TIME_LABEL).first).to_be_visible()
    return picker.get_by_role("button", name=TIME_LABEL).all_inner_texts()


def test_revoked_consent_shows_the_banner_and_relinks(browser, app_url, emulators, screenshot):
    microsoft = emulators.microsoft
    microsoft.oauth.login_email = HOST_EMAIL
    microsoft.add_calendar(CALENDAR_ID, "Calendar", is_default=True)

    host_ctx = open_browser(browser, "America/Toronto", "en-CA")
    guest_ctx = open_browser(browser, "Europe/Madrid", "es-ES")
    host, guest = host_ctx.new_page(), guest_ctx.new_page()
    sign_up(host, app_url, "Rhea Host", HOST_EMAIL)
    sign_up(guest, app_url, "Mateo Guest", "mateo.relink@e2e.test")

    host.goto(f"{app_url}/calendars")
    link_oauth(host, "Microsoft", HOST_EMAIL)
    account = host.get_by_role("region", name=f"Microsoft account {HOST_EMAIL}")

    host.get_by_role("link", name="Back to rooms").click()
    start_room(host, "mateo.relink@e2e.test")
    guest.get_by_role("link", name="Rhea Host").click()
    send_default_invite(host)
    expect(_banner(host)).to_have_count(0)
    offered = _offered_times(open_picker(guest))
    guest.keyboard.press("Escape")

    # Graph refuses one read: the guest is still offered the same times, the host is told.
    microsoft.inject_fault(DELTA, 403, ACCESS_DENIED)
    assert _offered_times(open_picker(guest)) == offered
    guest.keyboard.press("Escape")
    expect(_banner(host, UNREADABLE_TEXT)).to_be_visible(timeout=10_000)
    screenshot(host, "40-calendar-unreadable-banner")
    open_picker(guest)  # the next read works, and the notice goes
    guest.keyboard.press("Escape")
    expect(_banner(host, UNREADABLE_TEXT)).to_have_count(0, timeout=10_000)

    # The host withdraws the consent at Microsoft; the next sync cannot refresh.
    microsoft.revoke_grants(HOST_EMAIL)
    microsoft.expire_access_tokens()
    open_picker(guest)

    # The host's open room shows the banner live; the guest is told nothing.
    expect(_banner(host)).to_be_visible(timeout=10_000)
    expect(_banner(guest)).to_have_count(0)
    screenshot(host, "41-relink-banner")

    _banner(host).get_by_role("link", name="Relink it in Manage calendars").click()
    expect(host.get_by_role("heading", name="Manage calendars")).to_be_visible()
    expect(account).to_contain_text("Needs relinking")
    screenshot(host, "42-calendars-needs-relinking")
    account.get_by_role("link", name="Relink").click()
    allow_at_provider(host, "Microsoft")
    expect(account).not_to_contain_text("Needs relinking")
    expect(account).not_to_contain_text("needs to be linked again")

    host.get_by_role("link", name="Back to rooms").click()
    host.get_by_role("link", name="Mateo Guest").click()
    expect(host.get_by_label("Write a message")).to_be_visible()
    expect(_banner(host)).to_have_count(0)
    host_ctx.close()
    guest_ctx.close()
