"""gunicorn's access log, with requesters' private links masked (gunicorn.conf.py uses it).

The format in gunicorn.conf.py already leaves out the Referer and the query string;
masking every field as well means a format an operator changes later still never writes
a token.
"""

from gunicorn.glogging import Logger

from foi_portal.log_redaction import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in atoms.items()
        }
