"""{% error_summary form other_form %}: the GOV.UK error summary for a page's forms.

Every message links to the field it is about, so a keyboard or screen reader user can go
straight there; an error about the whole form links to its first field. base.html shows
it for the page's ``form``; pages with other or several forms pass them in the block.
"""

from django import forms, template

register = template.Library()


def field_anchor(bound_field) -> str:
    """The id of the element the summary links to: the input itself, or the first option
    of a group of radios or checkboxes (crispy-forms-gds numbers them from 1)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id or ""


def form_errors(form) -> list[tuple[str, str]]:
    """[(anchor, message)] for one form (or formset), in the order the fields appear."""
    if isinstance(form, forms.BaseFormSet):
        items = [("", error) for error in form.non_form_errors()]
        for member in form.forms:
            items.extend(form_errors(member))
        return items
    if not isinstance(form, forms.BaseForm) or not form.is_bound or not form.errors:
        return []
    visible = form.visible_fields()
    first = field_anchor(visible[0]) if visible else ""
    items = [(first, error) for error in form.non_field_errors()]
    for hidden in form.hidden_fields():
        items.extend((first, error) for error in hidden.errors)
    for field in visible:
        items.extend((field_anchor(field), error) for error in field.errors)
    return items


@register.inclusion_tag("_error_summary.html")
def error_summary(*forms_on_page):
    items = []
    for form in forms_on_page:
        for item in form_errors(form):
            if item not in items:
                items.append(item)
    return {"errors": items}
