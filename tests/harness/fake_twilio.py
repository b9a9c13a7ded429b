"""Twilio's REST API as the container meets it: HTTPS on api.twilio.com / verify.twilio.com.

The container resolves both names to a loopback address of this server (`--add-host`) and
trusts its certificate through SSL_CERT_FILE, which httpx reads; the real twilio SDK inside
the service builds every request, this server answers them and keeps the texts it was asked
to send.
"""

import json
import random
import re
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

HOSTS = ("api.twilio.com", "verify.twilio.com")
NEW_KEY = ("openssl", "req", "-newkey", "rsa:2048", "-nodes")
SIGN = ("openssl", "x509", "-req", "-CAcreateserial", "-days", "1")
CODE = re.compile(r"\b(\d{4,10})\b")


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throw-away CA and a certificate for Twilio's host names: (ca, certificate, key)."""
    folder.mkdir(parents=True, exist_ok=True)
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    certificate, key = folder / "twilio.pem", folder / "twilio.key"
    request, extensions = folder / "twilio.csr", folder / "twilio.ext"
    extensions.write_text(
        "subjectAltName=" + ",".join(f"DNS:{host}" for host in HOSTS) + "\n"
        "extendedKeyUsage=serverAuth\n"
    )
    commands = [
        [*NEW_KEY, "-x509", "-days", "1", "-subj", "/CN=check CA", "-keyout", ca_key, "-out", ca],
        [*NEW_KEY, "-subj", f"/CN={HOSTS[0]}", "-keyout", key, "-out", request],
        [
            *SIGN,
            "-CA",
            ca,
            "-CAkey",
            ca_key,
            "-extfile",
            extensions,
            "-in",
            request,
            "-out",
            certificate,
        ],
    ]
    for command in commands:
        subprocess.run([str(part) for part in command], capture_output=True, check=True)
    return ca, certificate, key


class FakeTwilio:
    """Answers Messages.json with a queued message and records each text sent."""

    def __init__(self, folder: Path) -> None:
        self.ca, certificate, key = make_certificates(folder)
        # A loopback address of its own: port 443 is free there whatever else runs here.
        octets = (random.randint(1, 254) for _ in range(3))  # noqa: S311 - not a secret
        self.address = "127." + ".".join(map(str, octets))
        self.texts: list[str] = []
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                fake.requests.append(f"POST {self.headers.get('Host')}{self.path}")
                if self.path.endswith("/Messages.json"):
                    fake.texts.append(form["Body"][0])
                    self.answer(201, {"sid": "SM" + "1" * 32, "status": "queued"})
                else:
                    self.answer(404, {"code": 20404, "message": "not faked", "status": 404})

            def answer(self, status: int, body: dict[str, object]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((self.address, 443), Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificate, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def add_hosts(self) -> list[str]:
        return [f"--add-host={host}:{self.address}" for host in HOSTS]

    def code(self, index: int) -> str:
        """The verification code in the `index`-th text sent."""
        match = CODE.search(self.texts[index])
        assert match, self.texts[index]
        return match[1]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
