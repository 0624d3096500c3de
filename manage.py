#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategyhub.config.settings")
    # A bare `manage.py …` on a developer machine (no configuration at all) runs with the
    # embedded development defaults. Deployments set SECRET_KEY (and DEBUG=0); the WSGI
    # entry point (gunicorn) never gets this default.
    if "SECRET_KEY" not in os.environ and "DEBUG" not in os.environ:
        os.environ["DEBUG"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
