"""Admin for the installation's settings and a read-only window on cases.

Case work (statuses, letters) happens in the app, through responses.workflow, so
that every change is audited; the admin only shows cases and their audit trail.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from responses import calendar_changes, permissions, staff
from responses.models import (
    Authority,
    BankHolidayOverride,
    Case,
    CaseEvent,
    IssuedDocument,
    LetterVersion,
    NotificationSetting,
    ReviewDecision,
    RoleChange,
)

User = get_user_model()


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "nation",
        "default_regime",
        "bank_holiday_calendar",
        "cost_limit_pounds",
    ]
    readonly_fields = ["logo_preview"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            "Identity",
            {"fields": ["name", "nation", "address", "email", "telephone", "website"]},
        ),
        (
            "Letterhead",
            {
                "fields": ["logo", "logo_preview"],
                "description": "The logo printed at the top of every letter.",
            },
        ),
        (
            "Signatory",
            {
                "fields": [
                    "signatory_name",
                    "signatory_title",
                    "internal_review_contact",
                    "subject_access_contact",
                ],
                "description": "Who signs the letters, where requesters ask for a review, and "
                "where they make a subject access request for their own personal data.",
            },
        ),
        (
            "Calendar",
            {
                "fields": ["default_regime", "bank_holiday_calendar"],
                "description": "Which law new requests fall under by default, and whose bank "
                "holidays are skipped when counting working days.",
            },
        ),
        (
            "Cost limit",
            {
                "fields": ["cost_limit_pounds"],
                "description": "£600 for bodies in FOIA Schedule 1 Part I, £450 for the rest; "
                "worked at £25 an hour.",
            },
        ),
        (
            "Disclosure risk",
            {
                "fields": ["small_number_threshold"],
                "description": "Small counts in tables of figures can identify people: counts "
                "below this number are flagged for the reviewer before approval.",
            },
        ),
    ]

    @admin.display(description="Current logo")
    def logo_preview(self, authority):
        if not authority.logo:
            return "No logo uploaded."
        return format_html(
            '<img src="{}" alt="Logo of {}" style="max-height: 80px">',
            authority.logo.url,
            authority.name,
        )

    def has_add_permission(self, request):
        # One authority per installation.
        return super().has_add_permission(request) and not Authority.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        # With the usual single authority, go straight to its settings.
        authorities = list(Authority.objects.order_by("pk")[:2])
        if len(authorities) == 1 and self.has_view_or_change_permission(request, authorities[0]):
            return redirect("admin:responses_authority_change", authorities[0].pk)
        return super().changelist_view(request, extra_context)


@admin.register(BankHolidayOverride)
class BankHolidayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "calendar", "is_holiday", "title", "created_by"]
    list_filter = ["calendar", "is_holiday"]
    search_fields = ["title", "reason"]
    date_hierarchy = "date"
    fields = ["date", "calendar", "is_holiday", "title", "reason", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    list_select_related = ["created_by"]

    def get_fields(self, request, obj=None):
        # Who and when are filled in on save, so the add form does not show them.
        return self.fields if obj is not None else self.fields[:5]

    # A new, changed or deleted override can move open cases' deadlines: compare them
    # before and after, and write an event on each case that moved.

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        before = calendar_changes.open_deadlines()
        super().save_model(request, obj, form, change)
        self.record_moves(request, before, f"{'Changed' if change else 'Added'} {describe(obj)}")

    def delete_model(self, request, obj):
        before = calendar_changes.open_deadlines()
        described = describe(obj)
        super().delete_model(request, obj)
        self.record_moves(request, before, f"Deleted {described}")

    def delete_queryset(self, request, queryset):
        before = calendar_changes.open_deadlines()
        described = "; ".join(describe(override) for override in queryset)
        super().delete_queryset(request, queryset)
        self.record_moves(request, before, f"Deleted {described}")

    def record_moves(self, request, before, change):
        moved = calendar_changes.record_moved_deadlines(before, actor=request.user, change=change)
        if moved:
            count = f"{len(moved)} open case{'s' if len(moved) != 1 else ''}"
            references = ", ".join(case.reference for case in moved)
            self.message_user(
                request, f"This moved the deadline of {count} ({references}): see their history."
            )


def describe(override):
    kind = "non-working day" if override.is_holiday else "working day"
    return (
        f"the bank holiday override for {override.date.day} {override.date:%B %Y} "
        f"({override.title}, a {kind} on the {override.get_calendar_display()} calendar)"
    )


class ReadOnlyMixin:
    """Visible to those with the view permission; nobody adds, changes or deletes here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseEvent
    fields = ["created_at", "actor_name", "action", "from_status", "to_status", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "requester",
        "subject",
        "regime",
        "status",
        "received_on",
        "assigned_to",
    ]
    list_filter = ["status", "kind", "regime"]
    search_fields = ["reference", "requester__name", "requester__email", "subject"]
    list_select_related = ["requester", "regime", "assigned_to"]
    date_hierarchy = "received_on"
    fields = [
        "reference",
        "workspace_link",
        "kind",
        "status",
        "regime",
        "authority",
        "requester",
        "received_on",
        "received_via",
        "subject",
        "request_text",
        "scope",
        "prioritisation_note",
        "searches",
        "assigned_to",
        "reviewed_case",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    inlines = [CaseEventInline]
    actions = None

    @admin.display(description="Work on this case")
    def workspace_link(self, case):
        try:
            url = reverse("case_detail", args=[case.pk])
        except NoReverseMatch:
            return ""
        return format_html('<a href="{}">Open {} in the case workspace</a>', url, case.reference)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The audit trail is append-only: no permission here can edit or remove a row."""

    list_display = ["created_at", "case", "action", "actor_name", "from_status", "to_status"]
    list_filter = ["action"]
    search_fields = ["case__reference", "action", "comment"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "created_at"
    actions = None


@admin.register(LetterVersion)
class LetterVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Frozen versions: shown for support, never edited (the model refuses it too)."""

    list_display = ["letter", "number", "author", "created_at"]
    list_select_related = ["letter__case", "author"]
    search_fields = ["letter__case__reference"]
    exclude = ["html"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["version", "outcome", "reviewer", "created_at"]
    list_select_related = ["version__letter__case", "reviewer"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["version", "issued_at", "timeliness", "sha256"]
    list_select_related = ["version__letter__case"]
    search_fields = ["sha256", "version__letter__case__reference"]


# --- Users and their roles ------------------------------------------------------------


class RolesField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=staff.role_groups(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Roles",
            help_text="Administrators can also sign in to this admin site.",
            **kwargs,
        )


class AccountForm(forms.ModelForm):
    """An administrator without superuser edits names, the active flag and the three roles."""

    roles = RolesField()
    # On their own account: roles and the active flag are shown but cannot be changed.
    access_fixed = False

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = self.instance.groups.filter(pk__in=staff.role_groups())
        if self.access_fixed:
            # Disabled fields keep what was there, whatever is posted.
            for name in ("roles", "is_active"):
                self.fields[name].disabled = True
            self.fields["roles"].help_text = "Another administrator changes your roles."


class NewAccountForm(AdminUserCreationForm):
    roles = RolesField()

    class Meta(AdminUserCreationForm.Meta):
        fields = ["username", "first_name", "last_name", "email"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Superusers get Django's full user admin. Administrators without superuser get one
    that cannot raise anyone above the three roles: no superuser or staff flags, no
    groups beyond the roles, no permissions, no reaching superusers' accounts, and no
    changing their own roles or their own active flag."""

    account_fieldsets = (
        (None, {"fields": ("username",)}),
        ("Name and email", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active", "roles", "password_page")}),
    )
    new_account_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        ("Name and email", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("roles",)}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active", "roles_held")
    list_filter = ("is_active", "groups")

    @admin.display(description="Roles")
    def roles_held(self, user):
        if user.is_superuser:
            return "Superuser"
        return ", ".join(group.name for group in user.groups.all() if group.name in ROLE_NAMES)

    @admin.display(description="Password")
    def password_page(self, user):
        if permissions.is_administrator(user):
            return (
                "An administrator changes their own password (Change password, at the top of "
                "the page); a superuser can set it for them."
            )
        url = reverse("admin:auth_user_password_change", args=[user.pk])
        return format_html('<a href="{}">Set a new password</a>', url)

    def get_readonly_fields(self, request, obj=None):
        if self.full_admin(request) or obj is None:
            return super().get_readonly_fields(request, obj)
        return ["password_page"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def full_admin(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.may_change_account(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.may_change_account(request.user, obj))

    def get_fieldsets(self, request, obj=None):
        if self.full_admin(request):
            return super().get_fieldsets(request, obj)
        return self.account_fieldsets if obj else self.new_account_fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if not self.full_admin(request):
            kwargs["form"] = AccountForm if obj else NewAccountForm
        form = super().get_form(request, obj, **kwargs)
        if (
            not self.full_admin(request)
            and obj
            and not permissions.may_change_roles(request.user, obj)
        ):
            form = type(form.__name__, (form,), {"access_fixed": True})
        return form

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if user is not None and not permissions.may_set_password(request.user, user):
            raise PermissionDenied("Only a superuser can set this account's password.")
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        # The state before this save, for the log (a new account has none).
        form.account_before = staff.AccountState.of(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        if not self.full_admin(request) and not form.fields["roles"].disabled:
            staff.set_roles(user, roles=form.cleaned_data["roles"])
        staff.record_account_changes(user, actor=request.user, before=form.account_before)


ROLE_NAMES = set(permissions.ROLES)


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    """Everyone gets review emails until they (or an administrator here) turn them off."""

    list_display = ["user", "review_emails"]
    list_filter = ["review_emails"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]


@admin.register(RoleChange)
class RoleChangeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Who gave whom which role: append-only, like the case history."""

    list_display = ["created_at", "user_name", "action", "role", "actor_name"]
    list_filter = ["action", "role"]
    search_fields = ["user_name", "actor_name", "user__username", "role"]
    date_hierarchy = "created_at"
    actions = None
