"""A real SMTP server for Partwatch's tests: Debian's aiosmtpd on loopback.

Starts two listeners, one plain and one offering STARTTLS (with the harness's
test certificate), and writes every accepted message to the spool directory as
<n>.eml plus <n>.json (envelope: from, recipients, listener). Runs until killed.
After STARTTLS the server offers AUTH: user "partwatch" with password "secret"
is accepted, anything else is refused (535), so tests can see both.

Usage: /usr/bin/python3 smtp_server.py SPOOL PLAIN_PORT STARTTLS_PORT CERT KEY
"""

import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME = b"partwatch"
PASSWORD = b"secret"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USERNAME and auth_data.password == PASSWORD
    return AuthResult(success=ok, handled=False)


class Spool:
    def __init__(self, directory, listener):
        self.directory = directory
        self.listener = listener

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A recipient in the reserved domain "rejected.test" is refused, so tests
        # can see how a rejected recipient is reported.
        if address.lower().endswith("@rejected.test"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with LOCK:
            n = len([f for f in os.listdir(self.directory) if f.endswith(".eml")]) + 1
            base = os.path.join(self.directory, f"{n:05d}")
            with open(base + ".eml.tmp", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            meta = {
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "listener": self.listener,
                "tls": session.ssl is not None,
            }
            with open(base + ".json", "w") as f:
                json.dump(meta, f)
            os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


LOCK = threading.Lock()


def main():
    spool, plain_port, tls_port, cert, key = sys.argv[1:6]
    os.makedirs(spool, exist_ok=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    plain = Controller(Spool(spool, "plain"), hostname="127.0.0.1", port=int(plain_port))
    starttls = Controller(
        Spool(spool, "starttls"),
        hostname="127.0.0.1",
        port=int(tls_port),
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=False,
    )
    plain.start()
    starttls.start()
    print(f"smtp: plain on {plain_port}, starttls on {tls_port}, spool {spool}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    plain.stop()
    starttls.stop()


if __name__ == "__main__":
    main()
