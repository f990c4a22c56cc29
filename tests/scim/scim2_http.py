"""A scim2-client engine on `requests`, so scim2-tester can check a server over real HTTP.

scim2-client 0.13 ships engines for httpx2 (not a dependency here), WSGI and ASGI; this one
sends the same requests through `requests`, which is installed.
"""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from scim2_client import BaseSyncSCIMClient
from scim2_client.client import RawResponse


class RequestsSCIMClient(BaseSyncSCIMClient):
    def __init__(self, base_url: str, headers: Mapping[str, str], *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.session.headers.update(headers)

    def _url(self, endpoint: str) -> str:
        if urlsplit(endpoint).scheme:
            return endpoint
        return f"{self.base_url}/{endpoint.lstrip('/')}"

    def _stays_under_base_url(self, endpoint: str) -> bool:
        url = urlsplit(urljoin(self.base_url + "/", self._url(endpoint)))
        base = urlsplit(self.base_url)
        return url.netloc == base.netloc and f"{url.path}/".startswith(f"{base.path}/")

    def _parse_json(self, response: RawResponse) -> Any:
        return response.json()

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> requests.Response:
        return self.session.request(
            method,
            self._url(url),
            params=params,
            json=json,
            data=content,
            headers=dict(headers or {}),
            timeout=30,
        )
