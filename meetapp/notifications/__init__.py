"""Meeting notifications: .ics invites, add-to-calendar links, email and reminders.

Pure building blocks: nothing here touches the database, the clock or reflex, so the
services that call them decide when and to whom a notification goes.
"""
