"""Fields the forms share."""

from django import forms

# Far above any real revision or version number, and inside every database's integer.
LARGEST = 2**31 - 1


class RevisionField(forms.IntegerField):
    """The hidden revision (or version) a page was loaded with: the save is compared
    with it, so a missing or malformed one is refused, never treated as "the latest"."""

    widget = forms.HiddenInput

    def __init__(self, *, message, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", LARGEST)
        errors = {key: message for key in ("required", "invalid", "min_value", "max_value")}
        super().__init__(error_messages=errors, **kwargs)
