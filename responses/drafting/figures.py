"""Tables of figures: the standard words a cell can hold instead of a number, the totals a
table claims, and the small counts that could identify someone.

Pure functions on a decision's stored table (rows of cells, the first row the header), so
the decision form, the letter and the checks read a table the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# A cell that is not a number, in the project's standard words, with what it means. What an
# officer types (any case, with or without the full stop) is stored as the standard words, so
# the letter and the checks recognise it.
CELL_MARKERS = {
    "Not recorded": "we do not record this information",
    "Not a searchable field": "our systems hold this information, but not in a field we can "
    "search or count, so it could only be found by reading each record",
    "n/a": "the category does not apply here",
}
MARKER_SPELLINGS = {
    "not recorded": "Not recorded",
    "nr": "Not recorded",
    "not a searchable field": "Not a searchable field",
    "not searchable": "Not a searchable field",
    "nsf": "Not a searchable field",
    "n/a": "n/a",
    "na": "n/a",
    "not applicable": "n/a",
}

NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
TOTAL = re.compile(r"^(?:grand )?totals?\b", re.IGNORECASE)


def standard_cell(cell: str) -> str:
    """The cell as stored: a marker in its standard words, anything else as typed."""
    key = cell.strip().rstrip(".").lower()
    return MARKER_SPELLINGS.get(key, cell)


def number(cell: str) -> Decimal | None:
    """The cell's value if it is a plain number ("1,204", "3.5"), else None."""
    text = str(cell).strip()
    if not NUMBER.match(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def markers_used(rows: Sequence[Sequence[str]]) -> list[tuple[str, str]]:
    """[(marker, meaning)] for the standard words the table's cells use, in a fixed order."""
    cells = {str(cell) for row in rows[1:] for cell in row}
    return [(marker, meaning) for marker, meaning in CELL_MARKERS.items() if marker in cells]


@dataclass(frozen=True)
class TotalMismatch:
    where: str  # "the Total row, column “2024”" or "the Total column, row “Burglary”"
    stated: Decimal
    added: Decimal


def _is_total(cell: str) -> bool:
    return bool(TOTAL.match(str(cell).strip()))


def total_mismatches(rows: Sequence[Sequence[str]]) -> list[TotalMismatch]:
    """Totals that do not equal the sum of the breakdowns they head.

    A row whose first cell starts with "Total" sums the rows above it (back to the previous
    Total row); a column headed "Total" sums the other numeric columns of its row. A total
    is checked only when every breakdown cell is a number: a "Not recorded" breakdown cannot
    be added up.
    """
    if len(rows) < 2:
        return []
    header, body = list(rows[0]), [list(row) for row in rows[1:]]
    problems = []
    since_total = []
    for row in body:
        if row and _is_total(row[0]):
            for column in range(1, len(header)):
                stated = number(row[column]) if column < len(row) else None
                parts = [number(r[column]) if column < len(r) else None for r in since_total]
                if stated is None or not parts or any(part is None for part in parts):
                    continue
                added = sum(parts, Decimal(0))
                if added != stated:
                    name = header[column] or f"column {column + 1}"
                    problems.append(
                        TotalMismatch(f"the “{row[0]}” row, column “{name}”", stated, added)
                    )
            since_total = []
        else:
            since_total.append(row)
    total_columns = [i for i, cell in enumerate(header) if i > 0 and _is_total(cell)]
    for column in total_columns:
        for row in body:
            stated = number(row[column]) if column < len(row) else None
            parts = [
                number(row[i]) for i in range(1, len(row)) if i != column and i not in total_columns
            ]
            if stated is None or not parts or any(part is None for part in parts):
                continue
            added = sum(parts, Decimal(0))
            if added != stated:
                label = row[0] or "a row"
                problems.append(
                    TotalMismatch(f"the “{header[column]}” column, row “{label}”", stated, added)
                )
    return problems


def small_counts(rows: Sequence[Sequence[str]], threshold: int) -> list[tuple[str, str]]:
    """[(row label, cell)] for whole-number counts from 1 to ``threshold - 1``."""
    found = []
    for row in rows[1:]:
        for cell in row[1:]:
            value = number(cell)
            if value is not None and value == value.to_integral_value() and 0 < value < threshold:
                found.append((str(row[0]), str(cell).strip()))
    return found
