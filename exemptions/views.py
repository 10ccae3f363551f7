from django import forms
from django.shortcuts import get_object_or_404, render

from exemptions import library_index
from exemptions.models import Clause, Exemption
from responses.permissions import case_worker_required


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search the clauses", required=False, max_length=200)


@case_worker_required
def library(request):
    form = LibrarySearchForm(request.GET or None)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    clauses = list(library_index.matching(text))
    exemptions = Exemption.objects.select_related("regime")
    return render(
        request,
        "exemptions/library.html",
        {
            "form": form,
            "query": text,
            "shelves": library_index.shelves(clauses),
            "match_count": len(clauses),
            "exemptions": exemptions,
        },
    )


@case_worker_required
def clause_detail(request, code):
    versions = Clause.objects.filter(code=code).select_related("created_by")
    clause = get_object_or_404(Clause.objects.current(), code=code)
    return render(
        request, "exemptions/clause_detail.html", {"clause": clause, "versions": versions}
    )
