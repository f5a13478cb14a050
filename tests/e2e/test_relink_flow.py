"""A revoked Microsoft consent: the host is told live, relinks in one click, and is clear.

The host (Toronto) links Microsoft, then withdraws the consent at Microsoft (the emulator
forgets the grant and the access token expires). When the guest (Madrid) opens the
picker, the app's sync meets ``invalid_grant``; the host's open room shows the banner
without a reload, and the Relink button on Manage calendars runs the consent again.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.people import open_browser, sign_up, start_room
from tests.e2e.scheduling import open_picker, send_default_invite

HOST_EMAIL = "rhea.relink@e2e.test"
BANNER_TEXT = "needs relinking"


def _banner(page: Page):
    return page.get_by_role("alert").filter(has_text=BANNER_TEXT)


def test_revoked_consent_shows_the_banner_and_relinks(browser, app_url, emulators, screenshot):
    microsoft = emulators.microsoft
    microsoft.oauth.login_email = HOST_EMAIL
    microsoft.add_calendar("AAMkAGI2-rhea", "Calendar", is_default=True)

    host_ctx = open_browser(browser, "America/Toronto", "en-CA")
    guest_ctx = open_browser(browser, "Europe/Madrid", "es-ES")
    host, guest = host_ctx.new_page(), guest_ctx.new_page()
    sign_up(host, app_url, "Rhea Host", HOST_EMAIL)
    sign_up(guest, app_url, "Mateo Guest", "mateo.relink@e2e.test")

    host.goto(f"{app_url}/calendars")
    host.get_by_role("link", name="Connect Microsoft").click()
    expect(host.get_by_role("heading", name="Microsoft emulator")).to_be_visible()
    host.get_by_role("button", name="Allow").click()
    expect(host.get_by_role("status")).to_have_text("Calendar linked.")
    account = host.get_by_role("region", name=f"Microsoft account {HOST_EMAIL}")
    expect(account).to_be_visible()

    host.get_by_role("link", name="Back to rooms").click()
    start_room(host, "mateo.relink@e2e.test")
    guest.get_by_role("link", name="Rhea Host").click()
    send_default_invite(host)
    expect(_banner(host)).to_have_count(0)

    # The host withdraws the consent at Microsoft; the next sync cannot refresh.
    microsoft.revoke_grants(HOST_EMAIL)
    microsoft.expire_access_tokens()
    open_picker(guest)

    # The host's open room shows the banner live; the guest is told nothing.
    expect(_banner(host)).to_be_visible(timeout=10_000)
    expect(_banner(guest)).to_have_count(0)
    screenshot(host, "29-relink-banner")

    _banner(host).get_by_role("link", name="Relink it in Manage calendars").click()
    expect(host.get_by_role("heading", name="Manage calendars")).to_be_visible()
    expect(account).to_contain_text("Needs relinking")
    screenshot(host, "30-calendars-needs-relinking")
    account.get_by_role("link", name="Relink").click()
    expect(host.get_by_role("heading", name="Microsoft emulator")).to_be_visible()
    host.get_by_role("button", name="Allow").click()
    expect(host.get_by_role("status")).to_have_text("Calendar linked.")
    expect(account).not_to_contain_text("Needs relinking")
    expect(account).not_to_contain_text("needs to be linked again")

    host.get_by_role("link", name="Back to rooms").click()
    host.get_by_role("link", name="Mateo Guest").click()
    expect(host.get_by_label("Write a message")).to_be_visible()
    expect(_banner(host)).to_have_count(0)
    host_ctx.close()
    guest_ctx.close()
