"""Personas and shared fixtures: the people who use the app, and their authority.

The exemption catalogue and clause library are loaded once per test session, into the
test database right after its migrations; each test still runs in a transaction that is
rolled back, so none can change them for the next.
"""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client

from exemptions.catalogue import DEFAULT_CATALOGUE, load_catalogue
from exemptions.library import DEFAULT_CLAUSES, load_clauses
from exemptions.models import Clause, Exemption, Regime
from responses.models import Authority, Requester
from responses.permissions import ADMINISTRATORS, OFFICERS, REVIEWERS
from responses.roles import ensure_roles

PASSWORD = "correct-horse-battery-staple"


def pytest_collection_modifyitems(config, items):
    """Tests of PostgreSQL's row locks cannot mean anything on SQLite: skip them there."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


def linked_styles(page):
    """The text of every stylesheet of ours a page links (pages carry no inline styles)."""
    paths = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', page)
    return "\n".join(Path(finders.find(path)).read_text() for path in paths)


class SigningInClient(Client):
    """Django's test client, whose ``login`` goes through django-axes like the sign-in page.

    Axes refuses to authenticate without the request (it needs the client's address), and
    Django's ``Client.login`` passes none: this one passes a request from 127.0.0.1.
    """

    def login(self, **credentials):
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"
            credentials["request"] = request
        return super().login(**credentials)


@pytest.fixture
def client():
    return SigningInClient()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files (enclosures, logos) go to the test's own folder, not var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: no rate-limit counts from the test before."""
    cache.clear()
    yield


@pytest.fixture
def roles(db):
    return ensure_roles()


def make_user(username, group_name, roles, **extra):
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=username.title(), **extra
    )
    if group_name:
        user.groups.add(roles[group_name])
    return user


@pytest.fixture
def officer(roles):
    return make_user("olivia", OFFICERS, roles, last_name="Officer", email="olivia@example.org")


@pytest.fixture
def second_officer(roles):
    return make_user("oscar", OFFICERS, roles, last_name="Officer", email="oscar@example.org")


@pytest.fixture
def reviewer(roles):
    return make_user("rita", REVIEWERS, roles, last_name="Reviewer", email="rita@example.org")


@pytest.fixture
def administrator(roles):
    return make_user("adam", ADMINISTRATORS, roles, is_staff=True, email="adam@example.org")


@pytest.fixture
def outsider(db):
    """Signed in, but in no role: must see no case work."""
    return get_user_model().objects.create_user(username="mallory", password=PASSWORD)


def load_library():
    """The full exemption catalogue and clause library, as `make run` loads them."""
    load_catalogue(DEFAULT_CATALOGUE)
    load_clauses(DEFAULT_CLAUSES)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, migrated, with the catalogue and clause library in it."""
    with django_db_blocker.unblock():
        load_library()


@pytest.fixture
def catalogue(db):
    """The catalogue and clause library: already there, loaded once for the session.

    A transactional test (``transaction=True``, the live-server browser tests) ends by
    emptying the database, so the next test that asks for the catalogue loads it again.
    """
    if not Clause.objects.exists():
        load_library()


@pytest.fixture
def empty_catalogue(db):
    """No regimes, exemptions or clauses: for the tests of loading them."""
    Clause.objects.all().delete()
    Exemption.objects.all().delete()
    Regime.objects.all().delete()


@pytest.fixture
def foia(db):
    regime, _ = Regime.objects.get_or_create(
        code=Regime.FOIA,
        defaults={
            "statute": "Freedom of Information Act 2000",
            "regulator": "Information Commissioner",
            "bank_holiday_divisions": ["england-and-wales", "scotland", "northern-ireland"],
        },
    )
    return regime


@pytest.fixture
def authority(foia):
    return Authority.objects.create(
        name="Westshire Police",
        address="Headquarters\n1 Example Road\nWestshire\nWS1 1AA",
        email="foi@westshire.example",
        signatory_name="Sam Signer",
        default_regime=foia,
    )


@pytest.fixture
def requester(db):
    return Requester.objects.create(
        name="Rowan Requester", email="rowan@example.com", postal_address="2 Some Street\nTown"
    )
