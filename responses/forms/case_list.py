"""The case list's filters: a GET form, so a filtered list can be bookmarked.

A field that does not validate (a date like 31 February) gets its message; the other
fields still filter the list.
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.contrib.auth import get_user_model

from exemptions.models import Regime
from responses import case_search
from responses.forms.clock import RealDateField
from responses.models import Case
from responses.permissions import OFFICERS


class FilterDateField(RealDateField):
    def __init__(self, **kwargs):
        super().__init__(required=False, require_all_fields=False, **kwargs)
        for sub in self.fields:
            sub.required = False

    def compress(self, data_list):
        if not any(data_list):
            return None
        if not all(data_list):
            raise forms.ValidationError("Enter a day, month and year, for example 27 3 2025")
        return super().compress(data_list)


class CaseListForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Reference, requester's name or email, subject or words in the request",
    )
    state = forms.MultipleChoiceField(
        label="Open or closed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(case_search.OPEN, "Open"), (case_search.CLOSED, "Closed")],
    )
    status = forms.MultipleChoiceField(
        label="Status",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Case.Status.choices,
    )
    regime = forms.MultipleChoiceField(
        label="Regime",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Regime.CODES,
    )
    kind = forms.MultipleChoiceField(
        label="Kind of case",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=Case.Kind.choices,
    )
    officer = forms.ChoiceField(label="Officer", required=False)
    received_from = FilterDateField(label="Received from", help_text="For example, 27 3 2025")
    received_to = FilterDateField(label="Received to", help_text="For example, 27 3 2025")
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=case_search.Sort.CHOICES, initial="newest"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officers = (
            get_user_model()
            .objects.filter(groups__name=OFFICERS)
            .order_by("first_name", "last_name", "username")
        )
        self.officers = {str(user.pk): user for user in officers}
        self.fields["officer"].choices = [
            ("", "Anyone"),
            ("me", "Assigned to me"),
            (case_search.UNASSIGNED, "Unassigned"),
            *((pk, user.get_full_name() or user.username) for pk, user in self.officers.items()),
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("q"),
            Field.checkboxes("state", small=True),
            Field.checkboxes("status", small=True),
            Field.checkboxes("regime", small=True),
            Field.checkboxes("kind", small=True),
            Field.select("officer"),
            Fieldset(Field("received_from"), Field("received_to")),
            Field.select("sort"),
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error(
                "received_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return cleaned

    def filters(self, user) -> dict:
        """The keyword arguments for case_search.search_cases, from whatever validated."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        officer = data.get("officer") or None
        if officer not in (None, "me", case_search.UNASSIGNED):
            officer = self.officers.get(officer)
        return {
            "text": data.get("q", ""),
            "states": data.get("state", []),
            "statuses": data.get("status", []),
            "regimes": data.get("regime", []),
            "kinds": data.get("kind", []),
            "officer": officer,
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "sort": data.get("sort") or case_search.Sort.NEWEST,
            "user": user,
        }
