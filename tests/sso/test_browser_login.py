"""SP-initiated login in a real browser, with the IdP on another site POSTing to the ACS.

The session cookie is SameSite=Lax, so the browser does not send it on the IdP's cross-site
POST; the login must still find its outstanding request through the SameSite=None cookie.
"""

import threading
from collections.abc import Iterator
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright

from accounts.models import Group
from accounts.roles import Role
from accounts.services import membership_add, user_create
from sso.selectors import sp_urls
from sso.services import idp_metadata_import
from tests.saml_idp import TestIdP

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class IdpServer:
    """A one-user IdP on 127.0.0.1 that responds to each AuthnRequest with a signed response."""

    def __init__(self, tenant, email: str) -> None:
        self.tenant = tenant
        self.email = email
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sso"
        self.idp = TestIdP(entity_id="https://idp.browser.test/saml", sso_url=self.url)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's method name
                location = f"http://127.0.0.1{self.path}"
                request = TestIdP.authn_request_from_redirect(location)
                relay_state = TestIdP.relay_state_from_redirect(location)
                saml_response = server.idp.response(
                    server.tenant, email=server.email, in_response_to=request.get("ID")
                )
                acs = sp_urls(server.tenant)["acs_url"]
                body = (
                    f'<html><body onload="document.forms[0].submit()">'
                    f'<form method="post" action="{escape(acs)}">'
                    f'<input type="hidden" name="SAMLResponse" value="{saml_response}">'
                    f'<input type="hidden" name="RelayState" value="{escape(relay_state)}">'
                    f"</form></body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:
                return

        return Handler


@pytest.fixture
def idp_server(live_server, settings, transactional_db, tenant) -> Iterator[IdpServer]:
    settings.INONE_BASE_URL = live_server.url
    user = user_create(tenant=tenant, email="ada@example.com")
    membership_add(group=Group.objects.get(tenant=tenant, role=Role.VIEW_ONLY), users=[user])
    server = IdpServer(tenant, user.email)
    idp_metadata_import(tenant=tenant, xml=server.idp.metadata_xml())
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sp_initiated_login_survives_cross_site_post(live_server, idp_server):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page()
            page.goto(f"{live_server.url}/sso/acme-hash/login?next=/api/me")
            page.wait_for_url(f"{live_server.url}/api/me", timeout=15000)
            body = page.inner_text("body")
        finally:
            browser.close()

    assert '"email":"ada@example.com"' in body.replace(" ", "")
    assert '"roles":["InsiderViewOnly"]' in body.replace(" ", "")
