import re
import time

from playwright.sync_api import expect

from tests.e2e.people import history, open_browser, send, sign_in, sign_up, start_room


def test_two_people_chat_live_and_outsiders_are_refused(browser, app_url, screenshot):
    ana_ctx = open_browser(browser, "Europe/Lisbon", "en-GB")
    ben_ctx = open_browser(browser, "America/New_York", "en-US")
    ana, ben = ana_ctx.new_page(), ben_ctx.new_page()

    sign_up(ana, app_url, "Ana Sousa", "ana@e2e.test")
    sign_up(ben, app_url, "Ben Carter", "ben@e2e.test")
    expect(ben.get_by_text("No conversations yet")).to_be_visible()
    screenshot(ben, "01-empty-rooms")

    # Ana starts the conversation; it appears in Ben's list without a reload.
    start_room(ana, "ben@e2e.test")
    room_url = ana.url
    expect(ben.get_by_role("link", name="Ana Sousa")).to_be_visible(timeout=3000)
    ben.get_by_role("link", name="Ana Sousa").click()
    expect(ben).to_have_url(room_url)
    expect(ben.get_by_label("Write a message")).to_be_visible()

    # A message sent in one context shows in the other within a second.
    send(ana, "Hi Ben, can we meet this week?")
    started = time.monotonic()
    expect(history(ben).get_by_text("Hi Ben, can we meet this week?")).to_be_visible(timeout=1000)
    assert time.monotonic() - started < 1.0
    send(ben, "Sure, send me your times")
    expect(history(ana).get_by_text("Sure, send me your times")).to_be_visible(timeout=1000)
    # Each reader sees times in their own zone and clock style.
    expect(history(ben).get_by_text(re.compile(r"\d{1,2}:\d\d (AM|PM)")).first).to_be_visible()
    expect(history(ana).get_by_text(re.compile(r"^\d\d:\d\d$")).first).to_be_visible()
    screenshot(ana, "02-room-ana-lisbon")
    screenshot(ben, "03-room-ben-new-york")

    # A reload keeps the session and the history.
    ben.reload()
    expect(history(ben).get_by_text("Hi Ben, can we meet this week?")).to_be_visible()

    # Someone outside the room gets a plain "not found".
    eve_ctx = open_browser(browser, "Asia/Kolkata", "en-IN")
    eve = eve_ctx.new_page()
    sign_up(eve, app_url, "Eve Outsider", "eve@e2e.test")
    eve.goto(room_url)
    expect(eve.get_by_role("heading", name="Not found")).to_be_visible()
    expect(history(eve).get_by_text("Hi Ben, can we meet this week?")).to_have_count(0)
    screenshot(eve, "04-not-a-member")

    # Adding Eve by email makes the room appear for her live.
    eve.goto(f"{app_url}/rooms")
    ana.get_by_role("button", name="Add people").click()
    ana.get_by_label("Email").fill("eve@e2e.test")
    ana.get_by_role("button", name="Add", exact=True).click()
    expect(history(ana).get_by_text("Ana Sousa added Eve Outsider")).to_be_visible()
    expect(eve.get_by_role("link", name=re.compile("Ana Sousa, Ben Carter"))).to_be_visible(
        timeout=3000
    )
    for ctx in (ana_ctx, ben_ctx, eve_ctx):
        ctx.close()


def test_sign_in_errors_and_sign_out(browser, app_url, screenshot):
    ctx = open_browser(browser, "Europe/London", "en-GB")
    page = ctx.new_page()
    sign_up(page, app_url, "Sam Signin", "sam@e2e.test")
    page.get_by_role("button", name="Account").click()
    page.get_by_role("menuitem", name="Sign out").click()
    expect(page).to_have_url(f"{app_url}/signin")
    page.goto(f"{app_url}/rooms")
    expect(page).to_have_url(f"{app_url}/signin")

    page.get_by_label("Email").fill("sam@e2e.test")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    screenshot(page, "05-wrong-password")
    sign_in(page, app_url, "sam@e2e.test")
    ctx.close()


def test_phone_layout_shows_one_pane_at_a_time(browser, app_url, screenshot):
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        timezone_id="Asia/Kolkata",
        locale="en-IN",
    )
    page = ctx.new_page()
    sign_up(page, app_url, "Priya Phone", "priya@e2e.test")
    start_room(page, "ana@e2e.test")
    expect(page.get_by_role("navigation", name="Rooms")).to_be_hidden()
    send(page, "Hello from my phone")
    expect(history(page).get_by_text("Hello from my phone")).to_be_visible()
    screenshot(page, "06-phone-room")
    page.get_by_role("button", name="Back to rooms").click()
    expect(page.get_by_role("navigation", name="Rooms")).to_be_visible()
    screenshot(page, "07-phone-rooms")
    ctx.close()
