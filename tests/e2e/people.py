"""What a person does in the app, as reusable browser steps."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect


def open_browser(browser: Browser, zone: str, locale: str, **kwargs) -> BrowserContext:
    """A browser profile of one person living in `zone`."""
    return browser.new_context(
        timezone_id=zone, locale=locale, viewport={"width": 1280, "height": 800}, **kwargs
    )


def sign_up(page: Page, base: str, name: str, email: str, password: str = "s3cret-pass") -> None:
    """Create an account through the sign-up form."""
    page.goto(f"{base}/signup")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(f"{base}/rooms")


def sign_in(page: Page, base: str, email: str, password: str = "s3cret-pass") -> None:
    """Sign in through the sign-in form."""
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/rooms")


def start_room(page: Page, emails: str, name: str = "") -> None:
    """Start a conversation from the sidebar."""
    page.get_by_role("button", name="New conversation").click()
    page.get_by_label("Emails").fill(emails)
    if name:
        page.get_by_label("Name (optional)").fill(name)
    page.get_by_role("button", name="Start conversation").click()
    expect(page.get_by_label("Write a message")).to_be_visible()


def send(page: Page, text: str) -> None:
    """Type a message and press Enter."""
    box = page.get_by_label("Write a message")
    box.fill(text)
    box.press("Enter")


def history(page: Page) -> Locator:
    """The message history of the open room."""
    return page.get_by_role("log", name="Messages")
