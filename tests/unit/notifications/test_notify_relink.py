from email import message_from_bytes, policy

import pytest

from meetapp.notifications.meeting import Person
from meetapp.notifications.relink import RelinkNotice, build_relink_email

SENDER = "noreply@meetapp.test"
RELINK = "https://meetapp.test/calendars/oauth/google/start?connection=3&x=<y>"
NOTICE = RelinkNotice("Google", "ana@gmail.com", RELINK, "https://meetapp.test/calendars")


def _build(notice=NOTICE):
    message = build_relink_email(notice, Person("Ana Sousa", "ana@example.com"), SENDER)
    # Round-trip through bytes: what a mail server would actually receive.
    return message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)


def test_text_and_html_name_the_account_and_the_links():
    message = _build()
    assert message["Subject"] == "Reconnect your Google calendar"
    assert message["To"] == "Ana Sousa <ana@example.com>"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("meetapp can no longer reach your Google calendar (ana@gmail.com).")
    assert f"Reconnect: {RELINK}\r\n" in text
    html = message.get_body(("html",)).get_content()
    assert (
        'href="https://meetapp.test/calendars/oauth/google/start?connection=3&amp;x=&lt;y&gt;"'
        in html
    )


def test_an_account_without_address_is_named_by_its_provider():
    notice = RelinkNotice(
        "CalDAV", "", "https://meetapp.test/calendars", "https://meetapp.test/calendars"
    )
    text = _build(notice).get_body(("plain",)).get_content()
    assert text.startswith("meetapp can no longer reach your CalDAV calendar.")


def test_line_breaks_are_refused():
    with pytest.raises(ValueError, match="account_email"):
        RelinkNotice("Google", "ana@gmail.com\nBcc: x@y.z", RELINK, RELINK)
    with pytest.raises(ValueError, match="sender"):
        build_relink_email(NOTICE, Person("Ana", "ana@example.com"), "a@b.c\nBcc: x@y.z")
