from django.shortcuts import get_object_or_404, render

from exemptions.models import Clause, Exemption, Regime
from responses.permissions import case_worker_required


@case_worker_required
def library(request):
    regimes = Regime.objects.all()
    exemptions = Exemption.objects.select_related("regime")
    clauses = Clause.objects.current().select_related("exemption", "exemption__regime")
    return render(
        request,
        "exemptions/library.html",
        {"regimes": regimes, "exemptions": exemptions, "clauses": clauses},
    )


@case_worker_required
def clause_detail(request, code):
    versions = Clause.objects.filter(code=code).select_related("created_by")
    clause = get_object_or_404(Clause.objects.current(), code=code)
    return render(
        request, "exemptions/clause_detail.html", {"clause": clause, "versions": versions}
    )
