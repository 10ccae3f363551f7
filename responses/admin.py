"""Admin for the installation's settings and a read-only window on cases.

Case work (statuses, letters) happens in the app, through responses.workflow, so
that every change is audited; the admin only shows cases and their audit trail.
"""

from django.contrib import admin
from django.db import models
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from responses.models import (
    Authority,
    BankHolidayOverride,
    Case,
    CaseEvent,
    IssuedDocument,
    LetterVersion,
    ReviewDecision,
)


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "default_regime", "bank_holiday_calendar", "cost_limit_pounds"]
    readonly_fields = ["logo_preview"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (
            "Identity",
            {"fields": ["name", "address", "email", "telephone", "website"]},
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
                "fields": ["signatory_name", "signatory_title", "internal_review_contact"],
                "description": "Who signs the letters, and where requesters ask for a review.",
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

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


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
    exclude = ["pdf"]
