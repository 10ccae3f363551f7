"""Fields the forms share."""

from django import forms
from django.forms.models import ModelChoiceIterator

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


class ReadOnceChoiceIterator(ModelChoiceIterator):
    """A model choice field's options, read from the database once per form.

    Django's iterator runs the field's query each time the options are listed or counted,
    and a GOV.UK checkbox or select template does both; this one lists the queryset itself,
    whose results Django then keeps.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        # len() reads the rows (and keeps them) where Django's would count them apart.
        return len(self.queryset) + (1 if self.field.empty_label is not None else 0)
