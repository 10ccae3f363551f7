"""Attaching an enclosure to a letter, and changing one."""

from django import forms

from exemptions.models import Exemption
from responses import enclosures


class ProvisionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, exemption):
        word = "Regulation" if exemption.regime.code == "EIR" else "Section"
        return f"{word} {exemption.cited_section}: {exemption.title}"


class EnclosureForm(forms.Form):
    """The file is required when adding; when changing, a new one replaces the old."""

    file = forms.FileField(
        label="File",
        required=True,
        error_messages={
            "required": "Choose the file to enclose.",
            "empty": "The file you chose is empty. The other details you entered are kept "
            "below: choose the file again.",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="As the letter lists it, for example “Contract with the supplier, 2024”.",
        error_messages={"required": "Give the enclosure a title, as the letter will list it."},
    )
    redacted = forms.BooleanField(
        label="Released with redactions",
        required=False,
        help_text="Parts are blacked out under exemptions the letter argues.",
    )
    redaction_exemptions = ProvisionsField(
        label="Redacted under",
        queryset=Exemption.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each provision must also be cited in a decision, so the letter argues it.",
    )
    not_for_publication = forms.BooleanField(
        label="Not for publication",
        required=False,
        help_text="Sent to the requester but left out of the disclosure log, which says an "
        "enclosure was omitted and is available on request.",
    )

    def __init__(self, *args, letter, replacing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = letter
        self.replacing = replacing
        self.fields["redaction_exemptions"].queryset = Exemption.objects.filter(
            regime=letter.case.regime
        ).select_related("regime")
        file_field = self.fields["file"]
        file_field.help_text = enclosures.describe_limits()
        if replacing:
            file_field.required = False
            file_field.label = "Replace the file (optional)"
        # No maxlength in the browser: a pasted long title is kept and the error says why.
        self.fields["title"].widget.attrs.pop("maxlength", None)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            try:
                enclosures.check_upload(upload)
            except enclosures.EnclosureError as error:
                raise forms.ValidationError(
                    f"{error} The other details you entered are kept below: choose the file again."
                ) from None
        return upload

    def clean(self):
        data = super().clean()
        if data.get("redacted") and not data.get("redaction_exemptions"):
            self.add_error(
                "redaction_exemptions", "Choose the provisions the redactions were made under."
            )
        if not data.get("redacted"):
            data["redaction_exemptions"] = []
        return data

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "redacted": data["redacted"],
            "exemptions": list(data["redaction_exemptions"]),
            "not_for_publication": data["not_for_publication"],
        }
