"""Letters as HTML (the browser preview) and as PDF (WeasyPrint), from one template.

The same Jinja2 template and the same stylesheet make both, so what an officer
previews is what the requester receives:

- ``context``: from the models to the plain values the templates use (and the
  decision as data, attached to the PDF as decision.json);
- ``html``: the sandboxed letter templates, the HTML documents made from them, and
  the date stamp issuing puts on a frozen letter;
- ``pdf``: WeasyPrint with the locked-down URL fetcher, in this process.

Rendering an issued letter in a child process with a time and memory limit is a job
of its own: ``responses.isolated_render``.

Safety rests on three things:

- the letter templates run in a sandboxed Jinja2 environment with autoescape, and
  every paragraph goes through ``textformat.to_html``, which escapes before it adds
  its few tags, so nothing typed into a letter becomes markup;
- WeasyPrint may only load the files ``pdf.LetterAssetFetcher`` allows: the letter
  stylesheet and fonts shipped in ``static/`` and the authority's logo, which the
  app reads itself. Any other URL (file:, http(s):, data:, ...) stops the render
  before any file or network access;
- issued letters are rendered in a child process with a time and memory limit
  (``isolated_render.render_pdf_isolated``), so a pathological letter cannot take
  the server down.

Only ``pdf`` imports WeasyPrint; importing this package or ``context``/``html`` does not.
"""


class RenderError(Exception):
    """The letter could not be rendered; the message says why, for the person who asked."""
