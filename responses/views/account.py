"""A person's own settings: which emails they get."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from responses.models import NotificationSetting
from responses.notifications import wants_review_emails
from responses.permissions import case_worker_required


class NotificationSettingsForm(forms.Form):
    review_emails = forms.BooleanField(
        label="Email me about letters in review",
        help_text="Reviewers: when a letter is sent for review. Officers: when a letter you "
        "sent is returned or approved.",
        required=False,
    )


@case_worker_required
def notification_settings(request):
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST)
        if form.is_valid():
            NotificationSetting.objects.update_or_create(
                user=request.user, defaults={"review_emails": form.cleaned_data["review_emails"]}
            )
            messages.success(request, "Your email settings are saved.")
            return redirect("notification_settings")
    else:
        form = NotificationSettingsForm(
            initial={"review_emails": wants_review_emails(request.user)}
        )
    return render(request, "responses/account/notifications.html", {"form": form})
