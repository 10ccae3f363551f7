"""Rendering clause text: sandboxed Jinja2, strict about slots, escaping by default.

Clause bodies are written by administrators and filled with values typed by
officers, so both sides are untrusted: the sandbox stops a body from reaching
Python internals, autoescape stops a slot value from becoming markup, and
StrictUndefined turns a forgotten slot into an error that names it.

A body may only use what standard wording needs: slots (``{{ name }}``), a few
filters without arguments and ``{% if %}``. Anything else (loops, includes,
imports, macros, arithmetic, attribute access) is refused before rendering, so
rendering takes time in proportion to the text; a time limit backs that up.
"""

import functools
import sys
import time

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes
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

# What a clause body may contain. Everything else is refused by name.
ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.CondExpr,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Filter,
)
ALLOWED_FILTERS = frozenset({"lower", "upper", "capitalize", "title", "trim", "e", "escape"})
# Clause text renders in well under a millisecond; this only stops a runaway.
RENDER_TIME_LIMIT_SECONDS = 1.0
SAMPLE_VALUE = "sample"

REFUSED_WORDS = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "import",
    nodes.Extends: "extends",
    nodes.For: "for loops",
    nodes.Macro: "macros",
    nodes.CallBlock: "call blocks",
    nodes.Call: "function calls",
    nodes.Block: "blocks",
    nodes.Assign: "set",
    nodes.AssignBlock: "set",
    nodes.With: "with",
    nodes.Getattr: "attribute access",
    nodes.Getitem: "item access",
    nodes.BinExpr: "arithmetic",
    nodes.UnaryExpr: "arithmetic",
    nodes.Compare: "comparisons",
}


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


class RenderTimeout(Exception):
    """Rendering ran past RENDER_TIME_LIMIT_SECONDS."""


def parse_body(body):
    """The body's syntax tree, once it is known to use only what clauses may use."""
    try:
        parsed = clause_environment.parse(body)
    except TemplateSyntaxError as error:
        raise ClauseTemplateError(f"Line {error.lineno}: {error.message}") from None
    for node in parsed.find_all(nodes.Node):
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            raise ClauseTemplateError(
                f"Line {node.lineno}: the filter '{node.name}' is not allowed in clause text "
                f"(allowed: {', '.join(sorted(ALLOWED_FILTERS))})."
            )
        if isinstance(node, nodes.Filter) and (node.args or node.kwargs):
            raise ClauseTemplateError(
                f"Line {node.lineno}: filters in clause text take no arguments."
            )
        if not isinstance(node, ALLOWED_NODES):
            what = next(
                (word for kind, word in REFUSED_WORDS.items() if isinstance(node, kind)),
                type(node).__name__,
            )
            raise ClauseTemplateError(
                f"Line {node.lineno}: clause text cannot use {what}; the sandbox allows only "
                "slots ({{ name }}), simple filters and {% if %}."
            )
    return parsed


def undeclared_slots(body, declared):
    """Names the body uses that are neither declared slots nor loop variables."""
    return meta.find_undeclared_variables(parse_body(body)) - set(declared)


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
        template = _compiled(body)
    except ClauseTemplateError as error:
        raise ClauseTemplateError(f"Clause {code}: {error}") from None
    try:
        # bandit: the sandboxed environment autoescapes every slot value, so this is safe.
        return Markup(_render_in_time(template, context))  # nosec B704
    except UndefinedError as error:
        raise ClauseTemplateError(f"Clause {code}: {error.message}") from None
    except SecurityError as error:
        message = f"Clause {code} tried something the sandbox forbids: {error}"
        raise ClauseTemplateError(message) from None
    except TemplateSyntaxError as error:
        raise ClauseTemplateError(f"Clause {code}, line {error.lineno}: {error.message}") from None
    except TemplateError as error:
        raise ClauseTemplateError(f"Clause {code}: {error}") from None
    except RenderTimeout:
        raise ClauseTemplateError(
            f"Clause {code} took longer than {RENDER_TIME_LIMIT_SECONDS:g} s to render."
        ) from None


@functools.lru_cache(maxsize=1024)
def _compiled(body):
    """The body checked and compiled, once per process for each text (a letter renders the
    same library clauses on every load; a refused body raises, and is not remembered)."""
    parse_body(body)
    return clause_environment.from_string(body)


def _render_in_time(template, context):
    """Render, stopping with RenderTimeout once the time limit has passed.

    A trace function sees each line the compiled template runs, in whatever thread renders
    it, so the limit holds in web workers, task workers and tests alike.
    """
    deadline = time.monotonic() + RENDER_TIME_LIMIT_SECONDS
    previous = sys.gettrace()

    def in_template(frame, event, arg):
        if time.monotonic() > deadline:
            raise RenderTimeout
        return in_template

    def on_call(frame, event, arg):
        if frame.f_code.co_filename == "<template>":
            return in_template(frame, event, arg)
        return None

    sys.settrace(on_call)
    try:
        return template.render(context)
    finally:
        sys.settrace(previous)


def trial_render(code, body, slot_names):
    """Render the body with a sample value in every slot; raise ClauseTemplateError if it
    cannot be used (what the admin and the library loader check before saving a body)."""
    render_clause_text(code, body, slot_names, dict.fromkeys(slot_names, SAMPLE_VALUE))


def render_clause(clause, values):
    return render_clause_text(clause.code, clause.body, clause.slot_names, values)
