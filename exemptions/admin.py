"""Admin for the library: regimes, exemptions and the versioned clause texts.

Clauses are never rewritten: saving an edited clause makes the next version (via
Clause.revise), so a letter that used an earlier version can still show it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from exemptions.models import Clause, Exemption, Regime


@admin.register(Regime)
class RegimeAdmin(admin.ModelAdmin):
    list_display = ["code", "statute", "regulator", "response_days", "extended_response_days"]
    search_fields = ["code", "statute"]
    # Fixed by statute and applied by the clock itself (see the fields' help text).
    readonly_fields = [
        "response_days",
        "extended_response_days",
        "bank_holiday_divisions",
        "refusal_notice_provision",
        "internal_review",
    ]
    fieldsets = [
        (None, {"fields": ["code", "statute", "regulator"]}),
        (
            "Time limits",
            {"fields": ["response_days", "extended_response_days", "bank_holiday_divisions"]},
        ),
        ("Notices and reviews", {"fields": ["refusal_notice_provision", "internal_review"]}),
        ("Cost of compliance", {"fields": ["cost_limit"]}),
    ]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = [
        "section",
        "regime",
        "title",
        "absolute",
        "test",
        "ncnd_provision",
        "pit_applies",
        "procedural",
        "commonly_used",
    ]
    list_display_links = ["section", "title"]
    list_filter = ["regime", "absolute", "test", "pit_applies", "procedural", "commonly_used"]
    search_fields = ["section", "title", "notes", "ncnd_provision"]
    list_select_related = ["regime"]
    ordering = ["regime__code", "position"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["regime", "section", "title", "notes"]}),
        (
            "How it works",
            {
                "fields": [
                    "absolute",
                    "test",
                    "pit_applies",
                    "ncnd_provision",
                    "procedural",
                    "commonly_used",
                ]
            },
        ),
        (
            "Order",
            {
                "fields": ["position"],
                "description": "The catalogue file sets these rows; `load_catalogue` "
                "overwrites edits made here on its next run.",
            },
        ),
    ]


class VersionFilter(admin.SimpleListFilter):
    """Show the latest version of each clause unless asked for the history."""

    title = "version"
    parameter_name = "versions"

    def lookups(self, request, model_admin):
        return [("in_force", "In force today"), ("all", "All versions")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "Latest version of each clause",
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset
        if self.value() == "in_force":
            return queryset.filter(pk__in=Clause.objects.current().values("pk"))
        return queryset.filter(version=Subquery(_latest_version_of(OuterRef("code"))))


def _latest_version_of(code):
    return Clause.objects.filter(code=code).order_by("-version").values("version")[:1]


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["code", "kind", "mode", "exemption", "title", "body", "slots", "effective_from"]

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Clause.objects.filter(code=code).exists():
            raise forms.ValidationError(
                "A clause with this code already exists. Edit it to make a new version."
            )
        return code

    def clean_slots(self):
        """Slots must be [{"name": ..., "label": ...}, ...] or the body cannot be checked."""
        slots = self.cleaned_data["slots"]
        if slots in (None, ""):
            return []
        shape_error = forms.ValidationError(
            'Slots must be a list like [{"name": "foreign_state", "label": "The foreign state"}].'
        )
        if not isinstance(slots, list):
            raise shape_error
        names = []
        for slot in slots:
            name = slot.get("name") if isinstance(slot, dict) else None
            if not isinstance(name, str) or not name.isidentifier():
                raise shape_error
            names.append(name)
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise forms.ValidationError("Slot names must be unique: " + ", ".join(duplicates))
        return slots


class ClauseRevisionForm(ClauseForm):
    """Editing a saved clause: the new text becomes the next version."""

    takes_effect_from = forms.DateField(
        initial=timezone.localdate,
        widget=AdminDateWidget,
        help_text="The new version is used from this date; the one shown here ends the day before.",
    )

    def clean_takes_effect_from(self):
        date = self.cleaned_data["takes_effect_from"]
        if date < self.instance.effective_from:
            raise forms.ValidationError(
                "A new version cannot take effect before the version it replaces "
                f"({self.instance.effective_from:%d %B %Y})."
            )
        return date


REVISABLE_FIELDS = ["title", "body", "slots"]


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    form = ClauseForm
    list_display = [
        "code",
        "version",
        "title",
        "kind",
        "mode",
        "exemption",
        "effective_from",
        "effective_to",
    ]
    list_filter = [VersionFilter, "kind", "mode", "exemption__regime"]
    search_fields = ["code", "title", "body"]
    list_select_related = ["exemption__regime"]
    save_as = False

    add_fieldsets = [
        (None, {"fields": ["code", "kind", "mode", "exemption", "title"]}),
        ("Text", {"fields": ["body", "slots", "effective_from"]}),
    ]
    change_fieldsets = [
        (None, {"fields": ["code", "version", "kind", "mode", "exemption"]}),
        (
            "Text",
            {
                "fields": ["title", "body", "slots", "takes_effect_from"],
                "description": "Saving makes a new version of this clause. "
                "This version stays unchanged for letters that already used it.",
            },
        ),
        (
            "History",
            {
                "fields": [
                    "effective_from",
                    "effective_to",
                    "created_by",
                    "created_at",
                    "version_history",
                ]
            },
        ),
    ]
    history_readonly = [
        "code",
        "version",
        "kind",
        "mode",
        "exemption",
        "effective_from",
        "effective_to",
        "created_by",
        "created_at",
        "version_history",
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        if not self.has_change_permission(request, obj):
            # Read-only view (a superseded version): there is no new version to date.
            fieldsets = [(name, dict(options)) for name, options in self.change_fieldsets]
            fieldsets[1][1]["fields"] = REVISABLE_FIELDS
            fieldsets[1][1].pop("description")
            return fieldsets
        return self.change_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.history_readonly if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self.has_change_permission(request, obj):
            kwargs["form"] = ClauseRevisionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Only the latest version can be revised; earlier ones are history.
        if obj is not None and self._is_superseded(obj):
            return False
        return super().has_change_permission(request, obj)

    @staticmethod
    def _is_superseded(clause):
        return Clause.objects.filter(code=clause.code, version__gt=clause.version).exists()

    def has_delete_permission(self, request, obj=None):
        # Deleting a version would lose the text a sent letter was built from.
        return False

    @admin.display(description="All versions")
    def version_history(self, obj):
        versions = Clause.objects.filter(code=obj.code).select_related("created_by")
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">Version {}</a>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td></tr>",
            (
                (
                    reverse("admin:exemptions_clause_change", args=[version.pk]),
                    version.version,
                    " (this one)" if version.pk == obj.pk else "",
                    f"{version.effective_from:%d %b %Y}",
                    f"{version.effective_to:%d %b %Y}" if version.effective_to else "open",
                    version.created_by or "",
                    version.body[:120] + ("…" if len(version.body) > 120 else ""),
                )
                for version in versions
            ),
        )
        return format_html(
            "<table><thead><tr><th>Version</th><th>From</th><th>To</th><th>By</th>"
            "<th>Text</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            super().save_model(request, obj, form, change)
            return
        obj.successor = None
        # Compare with the stored row, not form.changed_data: the slots field's
        # hidden "initial" input makes changed_data unreliable for JSON.
        original = Clause.objects.get(pk=obj.pk)
        if all(getattr(original, name) == getattr(obj, name) for name in REVISABLE_FIELDS):
            messages.info(request, f"Nothing in {obj} changed, so no new version was made.")
            return
        obj.successor = original.revise(
            body=obj.body,
            slots=obj.slots,
            title=obj.title,
            user=request.user,
            effective_from=form.cleaned_data["takes_effect_from"],
        )
        messages.success(
            request,
            f"Saved as version {obj.successor.version} of {obj.code}, in use from "
            f"{obj.successor.effective_from:%d %B %Y}. Version {original.version} keeps "
            "its text for letters that already used it.",
        )

    def log_change(self, request, obj, message):
        successor = getattr(obj, "successor", None)
        if successor is not None:
            return self.log_addition(request, successor, [{"added": {}}])
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        # The default response would say the old version "was changed", which it never is.
        target = getattr(obj, "successor", None) or obj
        if "_continue" in request.POST:
            return HttpResponseRedirect(reverse("admin:exemptions_clause_change", args=[target.pk]))
        return self.response_post_save_change(request, target)
