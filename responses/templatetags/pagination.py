"""{% pagination page filters_query "Pages of cases" %}: GOV.UK pagination for a list.

The links keep the list's filters (``filters_query``, the query string without ``page``),
and long lists show the pages around the current one with ellipses between.
"""

from django import template

register = template.Library()


@register.inclusion_tag("_pagination.html")
def pagination(page, filters_query, label):
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "page": page,
        "numbers": numbers,
        "ellipsis": page.paginator.ELLIPSIS,
        "prefix": f"?{filters_query}&page=" if filters_query else "?page=",
        "label": label,
    }
