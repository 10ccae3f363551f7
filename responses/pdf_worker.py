"""The process that isolated PDF renders are forked from.

``isolated_render.render_pdf_isolated`` uses multiprocessing's forkserver with this
module preloaded: a small process that has imported Django and WeasyPrint and parsed
the letter fonts and stylesheet once, and nothing else. Each render forks from it, so
it starts with a clean heap and its memory cap measures the letter alone, not
whatever the web or task process happened to have allocated.

Only the forkserver imports this module (it sets Django up on import).
"""

import django

django.setup()

from responses import isolated_render  # noqa: E402, F401  (the children's entry point)
from responses.rendering import pdf  # noqa: E402

pdf.shared_styles()
