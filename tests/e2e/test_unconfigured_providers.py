"""A server without Google or Microsoft credentials, as `make run` starts for a newcomer.

Its own app (the session's app has both providers configured): Google and Microsoft
are shown as not configured, their Connect buttons disabled on Manage calendars and in
the wizard, while CalDAV still links and the wizard's Calendar step can be skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.e2e.appserver import running_app
from tests.e2e.people import open_browser, sign_up, start_room

NOT_CONFIGURED = "Not configured on this server"
NO_PROVIDERS = {"MEETAPP_GOOGLE_CLIENT_ID": "", "MEETAPP_MICROSOFT_CLIENT_ID": ""}


@pytest.fixture(scope="module")
def bare_app_url(tmp_path_factory) -> Iterator[str]:
    """An app with no OAuth client configured at all."""
    with running_app(tmp_path_factory.mktemp("bare-app-data"), extra_env=NO_PROVIDERS) as app:
        yield app.url


def test_providers_without_credentials_are_shown_as_not_configured(
    browser, bare_app_url, screenshot
):
    context = open_browser(browser, "Australia/Sydney", "en-AU")
    other = open_browser(browser, "Asia/Singapore", "en-SG")
    host, client = context.new_page(), other.new_page()
    sign_up(client, bare_app_url, "Siti Client", "siti.bare@e2e.test")
    sign_up(host, bare_app_url, "Nora Newcomer", "nora.bare@e2e.test")

    host.goto(f"{bare_app_url}/calendars")
    expect(host.get_by_role("heading", name="Manage calendars")).to_be_visible()
    providers = [("Google Calendar", "Connect Google"), ("Microsoft 365", "Connect Microsoft")]
    for title, button in providers:
        row = host.get_by_role("group", name=title)
        expect(row).to_contain_text(NOT_CONFIGURED)
        expect(row.get_by_role("button", name=button)).to_be_disabled()
        expect(row.get_by_role("link", name=button)).to_have_count(0)
    caldav = host.get_by_role("group", name="CalDAV")
    expect(caldav).not_to_contain_text(NOT_CONFIGURED)
    expect(caldav.get_by_role("button", name="Connect CalDAV")).to_be_enabled()
    screenshot(host, "43-calendars-not-configured")

    host.get_by_role("link", name="Back to rooms").click()
    start_room(host, "siti.bare@e2e.test")
    host.get_by_role("button", name="Schedule a meeting").click()
    wizard = host.get_by_role("dialog")
    expect(wizard.get_by_role("heading", name="Connect your calendar")).to_be_visible()
    expect(wizard.get_by_role("button", name="Connect Google")).to_be_disabled()
    expect(wizard.get_by_role("button", name="Connect Microsoft")).to_be_disabled()
    expect(wizard).to_contain_text("Google and Microsoft are not configured on this server.")
    caldav_link = wizard.get_by_role("link", name="Connect iCloud or another CalDAV calendar")
    expect(caldav_link).to_be_visible()
    screenshot(host, "44-wizard-not-configured")
    wizard.get_by_role("button", name="Skip").click()
    expect(wizard.get_by_text("Time zone")).to_be_visible()
    context.close()
    other.close()
