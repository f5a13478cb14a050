"""Linking calendar accounts on Manage calendars, as browser steps."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def allow_at_provider(page: Page, provider: str) -> None:
    """Press Allow on the emulated provider's consent page and land back, linked."""
    expect(page.get_by_role("heading", name=f"{provider} emulator")).to_be_visible()
    page.get_by_role("button", name="Allow").click()
    expect(page.get_by_role("status")).to_have_text("Calendar linked.")


def link_oauth(page: Page, provider: str, email: str) -> None:
    """Connect an OAuth account through the emulator's consent page, as a person does."""
    page.get_by_role("link", name=f"Connect {provider}").click()
    allow_at_provider(page, provider)
    expect(page.get_by_role("region", name=f"{provider} account {email}")).to_be_visible()
