"""Drafting: decisions on questions, and letters assembled from them and the clause library.

Split by job; import the module you need (``from responses.drafting import decisions``):

- ``wording``: labels, placeholders, limits and the errors drafting raises;
- ``slots``: the values that fill clause slots, and clause text rendered with them;
- ``planning``: what a letter should contain (writes nothing);
- ``decisions``: saving and deleting decisions, section 12 estimates, pasted tables;
- ``editing``: assembling, rebuilding and editing letters, and previewing unsaved edits.

A letter is a list of sections, each a list of paragraphs of plain text with light markup.
Paragraphs that came from the library record the clause version used
(``LetterParagraph.clause``) and what generated them (``LetterParagraph.source``), so that a
rebuild after the decisions change can put fresh library text where the officer has not
typed, and keep every paragraph the officer edited or wrote.

Clause slots the case can fill are filled automatically; the others come from
``Letter.slot_values``. An empty slot leaves a visible placeholder ("[Fill in: ...]") in the
text and a finding from ``responses.checks`` until the officer fills it.
"""
