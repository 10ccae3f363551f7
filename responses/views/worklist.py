from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import render

from responses import worklist
from responses.models import Case
from responses.permissions import OFFICERS, case_worker_required


class WorkListFilter(forms.Form):
    officer = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(), required=False, empty_label="All officers"
    )
    status = forms.ChoiceField(required=False)
    bucket = forms.ChoiceField(required=False, label="Show")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = (
            get_user_model().objects.filter(groups__name=OFFICERS).order_by("first_name")
        )
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        open_statuses = [
            (value, label)
            for value, label in Case.Status.choices
            if value not in (Case.Status.RESPONDED, *Case.CLOSED_WITHOUT_LETTER)
        ]
        self.fields["status"].choices = [("", "Any open status"), *open_statuses]
        self.fields["bucket"].choices = [("", "Everything open"), *worklist.Bucket.choices]


@case_worker_required
def work_list(request):
    form = WorkListFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    items = worklist.work_items(
        officer=filters.get("officer"),
        status=filters.get("status") or None,
        bucket=filters.get("bucket") or None,
    )
    summary = [
        (label, sum(1 for item in items if item.bucket == key))
        for key, label in worklist.Bucket.choices
    ]
    return render(
        request,
        "responses/worklist/work_list.html",
        {"form": form, "items": items, "summary": summary},
    )
