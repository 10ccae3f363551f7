#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foi_portal.settings")
    # Commands (migrations, checks, loading data) may run without SECRET_KEY; the web
    # server, started through foi_portal/wsgi.py, never does. See foi_portal/settings.py.
    os.environ.setdefault("FOI_MANAGEMENT_COMMAND", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
