from django import forms
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import render

from responses import worklist
from responses.models import Case
from responses.permissions import OFFICERS, case_worker_required

PAGE_SIZE = 50


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
        with_cases=False,
    )
    summary = [
        (label, sum(1 for item in items if item.bucket == key))
        for key, label in worklist.Bucket.choices
    ]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    worklist.attach_cases(page.object_list)
    filters_query = request.GET.copy()
    filters_query.pop("page", None)
    return render(
        request,
        "responses/worklist/work_list.html",
        {
            "form": form,
            "items": page.object_list,
            "page": page,
            "total": len(items),
            "filters_query": filters_query.urlencode(),
            "summary": summary,
        },
    )
