""".env.example lists every setting the app and its web server read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READ = re.compile(
    r"""(?:env_bool|env_int|env_list|environ\.get|environ\[)\(?\s*["']([A-Z][A-Z0-9_]+)"""
)
LISTED = re.compile(r"^#?([A-Z][A-Z0-9_]+)=", re.MULTILINE)


def variables_read():
    names = set()
    for source in ["foi_portal/settings.py", "gunicorn.conf.py"]:
        names |= set(READ.findall((ROOT / source).read_text()))
    # Read by object_storage() through a table of (option, variable) pairs.
    names |= set(re.findall(r'"(STORAGE_[A-Z_]+)"', (ROOT / "foi_portal/settings.py").read_text()))
    return names


def test_every_setting_is_listed_with_its_meaning():
    example = (ROOT / ".env.example").read_text()
    listed = set(LISTED.findall(example))
    assert len(variables_read()) > 30
    assert variables_read() - listed == set()
    # Each is explained: a comment line just above it (or above its group).
    lines = example.splitlines()
    for index, line in enumerate(lines):
        if LISTED.match(line):
            above = lines[:index]
            assert any(text.startswith("# ") for text in above[-6:]), line
