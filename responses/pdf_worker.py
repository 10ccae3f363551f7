"""The process that isolated PDF renders are forked from.

``render_pdf_isolated`` uses multiprocessing's forkserver with this module
preloaded: a small process that has imported Django and WeasyPrint and parsed the
letter fonts and stylesheet once, and nothing else. Each render forks from it, so
it starts with a clean heap and its memory cap measures the letter alone, not
whatever the web or task process happened to have allocated.
"""

import django

django.setup()

from responses import rendering  # noqa: E402

rendering.shared_styles()
