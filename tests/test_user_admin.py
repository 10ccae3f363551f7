"""Users and roles in the admin: an administrator without superuser cannot raise anyone
(themselves included) above the three roles, and every change is in the role log."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from responses import workflow
from responses.models import RoleChange
from responses.permissions import ADMINISTRATORS, OFFICERS, REVIEWERS
from tests import builders

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "pw-root-123")


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def account_post(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "roles": [g.pk for g in user.groups.filter(name__in=[OFFICERS, REVIEWERS, ADMINISTRATORS])],
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value not in ("", None)}


def test_administrator_is_not_a_superuser_persona(administrator):
    assert not administrator.is_superuser and administrator.is_staff


def test_posting_superuser_flags_to_own_form_changes_nothing(admin_client, administrator, roles):
    other_group = Group.objects.create(name="Auditors")
    posted = account_post(
        administrator,
        is_superuser="on",
        is_staff="on",
        groups=[other_group.pk, roles[REVIEWERS].pk],
        user_permissions=["1", "2"],
        roles=[roles[ADMINISTRATORS].pk, roles[REVIEWERS].pk],
        is_active="",
        first_name="Adam",
    )

    response = admin_client.post(change_url(administrator), posted)

    assert response.status_code == 302
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert administrator.is_active
    assert set(administrator.groups.values_list("name", flat=True)) == {ADMINISTRATORS}
    assert not administrator.user_permissions.exists()
    # Nothing about access changed, so the role log is empty.
    assert not RoleChange.objects.exists()


def test_own_change_form_offers_no_superuser_groups_or_permissions(admin_client, administrator):
    html = admin_client.get(change_url(administrator)).content.decode()

    for field in ("is_superuser", "is_staff", "user_permissions", 'name="groups"'):
        assert field not in html
    assert 'name="roles"' in html and "disabled" in html  # their own roles: shown, fixed


def test_superusers_accounts_are_out_of_reach(admin_client, superuser):
    assert admin_client.get(change_url(superuser)).status_code == 403
    assert admin_client.get(password_url(superuser)).status_code == 403
    posted = admin_client.post(
        password_url(superuser), {"password1": "taken-over-123", "password2": "taken-over-123"}
    )
    assert posted.status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password("pw-root-123")
    changed = admin_client.post(change_url(superuser), {"username": "root", "is_active": ""})
    assert changed.status_code == 403
    superuser.refresh_from_db()
    assert superuser.is_active


def test_another_administrators_password_is_theirs_to_set(admin_client, roles):
    colleague = User.objects.create_user("ada", password="pw-ada-12345", is_staff=True)
    colleague.groups.add(roles[ADMINISTRATORS])
    officer = User.objects.create_user("otto", password="pw-otto-12345")
    officer.groups.add(roles[OFFICERS])

    assert admin_client.get(password_url(colleague)).status_code == 403
    assert admin_client.get(password_url(officer)).status_code == 200
    response = admin_client.post(
        password_url(officer),
        {"password1": "new-otto-pass-9", "password2": "new-otto-pass-9", "usable_password": "true"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password("new-otto-pass-9")


def test_administrator_creates_an_officer_with_a_role(admin_client, administrator, roles):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newbie",
            "first_name": "Nina",
            "last_name": "Newbie",
            "email": "nina@example.org",
            "usable_password": "true",
            "password1": "a-long-pass-phrase-1",
            "password2": "a-long-pass-phrase-1",
            "roles": [roles[OFFICERS].pk],
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == 302
    nina = User.objects.get(username="newbie")
    assert list(nina.groups.values_list("name", flat=True)) == [OFFICERS]
    assert (nina.is_superuser, nina.is_staff, nina.get_full_name()) == (
        False,
        False,
        "Nina Newbie",
    )
    log = [(r.action, r.role, r.actor_name, r.user_name) for r in RoleChange.objects.all()]
    assert log == [
        (RoleChange.Action.USER_CREATED, "", "Adam", "Nina Newbie"),
        (RoleChange.Action.ROLE_ADDED, OFFICERS, "Adam", "Nina Newbie"),
    ]


def test_role_changes_and_deactivation_are_logged(admin_client, officer, roles):
    response = admin_client.post(
        change_url(officer),
        account_post(officer, roles=[roles[REVIEWERS].pk, roles[ADMINISTRATORS].pk]),
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert set(officer.groups.values_list("name", flat=True)) == {REVIEWERS, ADMINISTRATORS}
    assert officer.is_staff  # an administrator needs the admin site

    admin_client.post(change_url(officer), account_post(officer, is_active=""))
    officer.refresh_from_db()
    assert not officer.is_active

    log = [(r.action, r.role) for r in RoleChange.objects.filter(user=officer)]
    assert log == [
        (RoleChange.Action.STAFF_GRANTED, ""),
        (RoleChange.Action.ROLE_ADDED, ADMINISTRATORS),
        (RoleChange.Action.ROLE_ADDED, REVIEWERS),
        (RoleChange.Action.ROLE_REMOVED, OFFICERS),
        (RoleChange.Action.USER_DEACTIVATED, ""),
    ]
    assert all(r.actor_name == "Adam" for r in RoleChange.objects.all())


def test_groups_that_are_not_roles_are_kept(admin_client, officer, roles):
    auditors = Group.objects.create(name="Auditors")
    officer.groups.add(auditors)

    admin_client.post(change_url(officer), account_post(officer, roles=[roles[REVIEWERS].pk]))

    assert set(officer.groups.values_list("name", flat=True)) == {"Auditors", REVIEWERS}


def test_role_log_is_readable_and_append_only(admin_client, officer, administrator):
    row = RoleChange.objects.record(
        officer, RoleChange.Action.ROLE_ADDED, administrator, role=REVIEWERS
    )
    url = reverse("admin:responses_rolechange_change", args=[row.pk])

    assert admin_client.get(reverse("admin:responses_rolechange_changelist")).status_code == 200
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"role": "x"}).status_code == 403
    delete = reverse("admin:responses_rolechange_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    with pytest.raises(PermissionDenied):
        RoleChange.objects.all().delete()
    assert RoleChange.objects.get().role == REVIEWERS


def test_superuser_keeps_the_full_user_admin_and_is_logged(client, superuser, officer, roles):
    client.force_login(superuser)
    html = client.get(change_url(officer)).content.decode()
    assert 'name="is_superuser"' in html and 'name="groups"' in html

    data = {
        "username": officer.username,
        "first_name": officer.first_name,
        "last_name": officer.last_name,
        "email": officer.email,
        "is_active": "on",
        "is_superuser": "on",
        "groups": [roles[OFFICERS].pk],
        "last_login_0": "",
        "date_joined_0": officer.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": officer.date_joined.strftime("%H:%M:%S"),
    }
    response = client.post(change_url(officer), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    officer.refresh_from_db()
    assert officer.is_superuser
    assert [r.action for r in RoleChange.objects.filter(user=officer)] == [
        RoleChange.Action.SUPERUSER_GRANTED
    ]


def test_approving_ones_own_letter_is_refused(catalogue, authority, requester, roles):
    """An administrator who drafted a letter and also holds the reviewer role (given by a
    superuser: they cannot give it themselves) still cannot approve it."""
    drafter = User.objects.create_user("dual", password="pw-dual-12345", is_staff=True)
    drafter.groups.add(roles[ADMINISTRATORS], roles[REVIEWERS])
    letter = builders.response_letter(actor=drafter, authority=authority, requester=requester)
    version = builders.submit(letter, actor=drafter)

    with pytest.raises(workflow.TransitionError, match="another reviewer must approve"):
        workflow.approve_letter(letter, actor=drafter, version_number=version.number)
