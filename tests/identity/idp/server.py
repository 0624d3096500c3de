"""Runs the test provider: ``python -m tests.identity.idp.server PORT`` (0: a free port the
system picks), printing "ready <port>"; its settings from the environment: IDP_DB,
IDP_RSA_KEY, and IDP_ISSUER, whose "{port}" is filled with the port."""

import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    import socket

    port = int(sys.argv[1])
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    os.environ["IDP_ISSUER"] = os.environ["IDP_ISSUER"].replace("{port}", str(port))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.identity.idp.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from django.core.wsgi import get_wsgi_application

    server = make_server("127.0.0.1", port, get_wsgi_application(), _Server, handler_class=_Quiet)
    print(f"ready {port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
