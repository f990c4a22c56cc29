import os

import pytest

from accounts.models import Tenant
from accounts.services import tenant_create

# The six role groups, spelled exactly as the customer setup guide prints them.
ROLE_GROUP_NAMES = [
    "Insider Manage Users",
    "Insider Edit and Publish",
    "Insider Collaborate",
    "Insider View Only",
    "Insider Change Campaign Status Only",
    "Insider Outsource",
]


@pytest.fixture
def tenant(db) -> Tenant:
    return tenant_create(name="Acme", tenant_hash="acme-hash")


@pytest.fixture
def other_tenant(db) -> Tenant:
    return tenant_create(name="Globex", tenant_hash="globex-hash")


CHROMIUM_PATH = "/usr/bin/chromium"
# Flags for a root, headless, offline Chromium: no sandbox as root, and no background requests,
# which this machine's closed network would refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, driven by Playwright; one browser for the whole test session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, so Django's ORM would refuse to
    # run in the test body. The test body is plain synchronous code, so that check is moot.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()
