"""A loopback stand-in for Google's ID-token key endpoint, with our own RSA key."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

__all__ = ["GoogleKeys", "google_key_server"]


@dataclass
class GoogleKeys:
    client_id: str
    kid: str = "test-key-1"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    fetches: int = 0

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [public]}

    def id_token(self, email: str, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": "https://accounts.google.com",
            "aud": self.client_id,
            "sub": "1234567890",
            "email": email,
            "email_verified": True,
            "given_name": "Гугл",
            "family_name": "Юзер",
            "iat": now,
            "exp": now + 3600,
        }
        claims.update(overrides)
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid})


@contextmanager
def google_key_server(client_id: str) -> Iterator[tuple[GoogleKeys, str]]:
    keys = GoogleKeys(client_id)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            keys.fetches += 1
            body = json.dumps(keys.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "public, max-age=19800")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield keys, f"http://127.0.0.1:{server.server_address[1]}/oauth2/v3/certs"
    finally:
        server.shutdown()
        server.server_close()
