"""Layout pieces for long forms: parts most decisions do not need, folded away."""

from crispy_forms.layout import LayoutObject
from crispy_forms.utils import TEMPLATE_PACK
from django.template.loader import render_to_string


class Details(LayoutObject):
    """A GOV.UK details component holding some fields.

    It starts open when any of its fields has an error or a value, so nothing the officer
    typed or must correct is ever hidden; otherwise the summary line is all that shows.
    """

    template = "responses/forms/details.html"

    def __init__(self, summary, *fields, css_id=""):
        self.summary = summary
        self.fields = list(fields)
        self.css_id = css_id

    def starts_open(self, form) -> bool:
        for pointer in self.get_field_names():
            bound = form[pointer.name]
            if bound.errors:
                return True
            value = bound.value()
            # An unticked box (False) is as empty as a blank field.
            if value not in (None, "", [], (), False) and not bound.is_hidden:
                return True
        return False

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        content = self.get_rendered_fields(form, context, template_pack, **kwargs)
        return render_to_string(
            self.template,
            {
                "summary": self.summary,
                "content": content,
                "open": self.starts_open(form),
                "css_id": self.css_id,
            },
        )
