"""Staff scenarios in Chromium: an in-process live server on the test database, logged-in pages, and the clock.

The visitor's tests (tests/browser/conftest.py) look at a copy of the site served by gunicorn; staff scenarios change
data and move time, which a separate process would not see, so they run against pytest-django's `live_server` (a
thread of the test process, on the test database) and `time_machine` (which moves the clock of the whole process,
server thread included).

Use the fixtures by importing them into a test module::

    from tests.browser.staff import clock, log_in, staff_site  # noqa: F401 (pytest fixtures)

    pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

    def test_something(log_in, clock):
        editor = log_in(EDITOR)          # a page logged into the admin as a new éditeur (or log_in(user))
        visitor = log_in(None)           # a page of an anonymous visitor
        clock.travel(clock.now() + datetime.timedelta(hours=3))  # the server's clock too

- `staff_site`: the live server, with the real fixtures and the staff roles in its database (loaded again when an
  earlier transactional test emptied it: each such test ends with a flush). Pages take `base_url` from it, so
  `page.goto("/admin/")` works.
- `log_in`: a function returning a Playwright page, each in a browser context of its own (own cookies), logged in
  through the admin's login form as a staff member would; its Chromium uses the flags of tests/browser/conftest.py.
- `clock`: time under the test's control; it ticks from where it was sent, and returns to real time at the end.

Playwright's sync API keeps an event loop running in the test's thread, where Django refuses database queries
("async unsafe"); the tests read the database beside the browser, so that check is lifted for the test only.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.factories import STAFF_PASSWORD, make_staff


@pytest.fixture
def staff_site(live_server, monkeypatch):
    from poles.models import Pole
    from poles.roles import sync_roles

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not Pole.objects.real().exists():
        call_command("load_real_data", verbosity=0)
    sync_roles()
    return live_server


@pytest.fixture
def log_in(staff_site) -> Iterator[Callable]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        def page_for(who: str | User | None, password: str = STAFF_PASSWORD):
            """A page logged in as `who`: a role of poles.roles (a new account is made), a user, or None (a visitor)."""
            context = browser.new_context(locale="fr-FR", base_url=staff_site.url)
            page = context.new_page()
            page.console_errors = []
            page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
            if who is None:
                return page
            user = make_staff(who, password=password) if isinstance(who, str) else who
            page.goto("/admin/login/?next=/admin/")
            page.fill("#id_username", user.get_username())
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_url("**/admin/")
            page.user = user
            return page

        yield page_for
        browser.close()


class Clock:
    """The time of the test process (the live server's included), moved with `travel`."""

    def __init__(self) -> None:
        self._traveller = None

    def now(self) -> datetime.datetime:
        return timezone.now()

    def travel(self, moment: datetime.datetime) -> None:
        """From now on the clock reads `moment`, and ticks on from there."""
        self.stop()
        self._traveller = time_machine.travel(moment, tick=True)
        self._traveller.start()

    def stop(self) -> None:
        if self._traveller is not None:
            self._traveller.stop()
            self._traveller = None


@pytest.fixture
def clock() -> Iterator[Clock]:
    current = Clock()
    yield current
    current.stop()
