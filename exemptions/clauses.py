"""Rendering clause text: sandboxed Jinja2, strict about slots, escaping by default.

Clause bodies are written by administrators and filled with values typed by
officers, so both sides are untrusted: the sandbox stops a body from reaching
Python internals, autoescape stops a slot value from becoming markup, and
StrictUndefined turns a forgotten slot into an error that names it.
"""

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

clause_environment = SandboxedEnvironment(
    undefined=StrictUndefined,
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)


class ClauseTemplateError(Exception):
    """The clause body itself is broken (bad syntax, or it tried something unsafe)."""


class MissingSlotError(Exception):
    """A slot the clause declares was not given a value."""

    def __init__(self, clause_code, slot_names):
        self.clause_code = clause_code
        self.slot_names = list(slot_names)
        names = ", ".join(f"'{name}'" for name in self.slot_names)
        plural = "slots" if len(self.slot_names) > 1 else "slot"
        super().__init__(f"Clause {clause_code} needs a value for the {plural} {names}.")


def undeclared_slots(body, declared):
    """Names the body uses that are neither declared slots nor loop variables."""
    try:
        parsed = clause_environment.parse(body)
    except TemplateSyntaxError as error:
        raise ClauseTemplateError(f"Line {error.lineno}: {error.message}") from None
    return meta.find_undeclared_variables(parsed) - set(declared)


def render_clause_text(code, body, declared_slots, values):
    """Render one clause body; return safe HTML-escaped text (a Markup string).

    ``values`` maps slot names to the officer's text. Empty strings count as
    missing: a letter must not go out saying "the security of ." .
    """
    missing = [name for name in declared_slots if not str(values.get(name, "") or "").strip()]
    if missing:
        raise MissingSlotError(code, missing)
    context = {name: values[name] for name in declared_slots}
    try:
        # bandit: the sandboxed environment autoescapes every slot value, so this is safe.
        return Markup(clause_environment.from_string(body).render(context))  # nosec B704
    except UndefinedError as error:
        raise ClauseTemplateError(f"Clause {code}: {error.message}") from None
    except SecurityError as error:
        message = f"Clause {code} tried something the sandbox forbids: {error}"
        raise ClauseTemplateError(message) from None
    except TemplateSyntaxError as error:
        raise ClauseTemplateError(f"Clause {code}, line {error.lineno}: {error.message}") from None


def render_clause(clause, values):
    return render_clause_text(clause.code, clause.body, clause.slot_names, values)
