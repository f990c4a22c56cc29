"""IdP metadata fetched over real HTTPS from a server on 127.0.0.1 with its own certificate."""

import datetime
import http.server
import ipaddress
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from accounts.models import User
from sso.metadata_refresh import MetadataFetchError, fetch_https
from sso.models import SamlConfiguration
from tests.saml_idp import TestIdP


def self_signed_localhost(directory) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path = directory / "server.pem"
    key_path = directory / "server.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


@pytest.fixture
def metadata_server(tmp_path, monkeypatch):
    """Serve `server.body` at https://127.0.0.1:<port>/metadata.xml, trusted by this process."""
    cert_path, key_path = self_signed_localhost(tmp_path)
    # OpenSSL reads SSL_CERT_FILE when urllib builds its default context, so the fetch
    # trusts this server's certificate and nothing else.
    monkeypatch.setenv("SSL_CERT_FILE", cert_path)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/samlmetadata+xml")
            self.end_headers()
            self.wfile.write(server.body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.body = b""
    server.url = f"https://127.0.0.1:{server.server_address[1]}/metadata.xml"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_fetch_https_downloads_metadata(metadata_server):
    metadata_server.body = TestIdP(key_name="fetched").metadata_xml()

    assert fetch_https(metadata_server.url) == metadata_server.body


def test_fetch_https_rejects_untrusted_certificate(metadata_server, monkeypatch, tmp_path):
    other_directory = tmp_path / "other"
    other_directory.mkdir()
    other_cert, _ = self_signed_localhost(other_directory)
    monkeypatch.setenv("SSL_CERT_FILE", other_cert)

    with pytest.raises(MetadataFetchError, match="CERTIFICATE_VERIFY_FAILED"):
        fetch_https(metadata_server.url)


@pytest.fixture
def operator_client(client, db):
    operator = User.objects.create_superuser("ops@insider.example", "pw-for-tests-only-1")
    client.force_login(operator)
    return client


def admin_post(client, tenant, url: str):
    return client.post(
        "/admin/sso/samlconfiguration/add/",
        {"tenant": tenant.pk, "clock_skew_seconds": 60, "metadata_url": url,
         "email_attribute": "email", "group_attribute": "memberOf",
         "certificates-TOTAL_FORMS": 0, "certificates-INITIAL_FORMS": 0},
    )


def test_admin_fetches_metadata_url_on_save(operator_client, tenant, metadata_server):
    idp = TestIdP(entity_id="https://idp.example.test/fetched", key_name="fetched")
    metadata_server.body = idp.metadata_xml()

    response = admin_post(operator_client, tenant, metadata_server.url)

    assert response.status_code == 302, response.content
    configuration = SamlConfiguration.objects.get(tenant=tenant)
    assert configuration.idp_entity_id == "https://idp.example.test/fetched"
    assert configuration.metadata_url == metadata_server.url
    assert configuration.metadata_refreshed_at is not None


def test_admin_reports_invalid_fetched_metadata(operator_client, tenant, metadata_server):
    metadata_server.body = b"<html>maintenance</html>"

    response = admin_post(operator_client, tenant, metadata_server.url)

    assert response.status_code == 200
    assert b"not a SAML 2.0 metadata EntityDescriptor" in response.content
    assert not SamlConfiguration.objects.filter(tenant=tenant).exists()
