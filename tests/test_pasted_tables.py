"""Tables pasted from a spreadsheet into a decision: Excel's clipboard text, cell for cell."""

import pytest

from responses.drafting.decisions import MAX_TABLE_COLUMNS, parse_table, table_text
from responses.drafting.wording import DraftingError


def test_a_cell_with_a_line_break_stays_one_cell():
    # Excel quotes a cell that holds a line break when it copies it.
    pasted = 'Force\tNotes\r\nWestshire\t"Two vans\nOne fixed camera"\r\nNorthshire\tNone\r\n'
    assert parse_table(pasted) == [
        ["Force", "Notes"],
        ["Westshire", "Two vans\nOne fixed camera"],
        ["Northshire", "None"],
    ]


def test_a_cell_with_a_literal_quote_keeps_it():
    pasted = 'Item\tSize\nScreen\t24" monitor\nLabel\t"The ""Ring"" camera"\n'
    assert parse_table(pasted) == [
        ["Item", "Size"],
        ["Screen", '24" monitor'],
        ["Label", 'The "Ring" camera'],
    ]


def test_a_stored_table_pastes_back_as_it_was():
    rows = [["Year", "Notes"], ["2024", "Two vans\nOne camera"], ["2025", '"Quoted" 24" screen']]
    assert parse_table(table_text(rows)) == rows
    assert table_text([["Year", "Arrests"], ["2024", "1,204"]]) == "Year\tArrests\n2024\t1,204"


def test_blank_lines_around_the_table_are_dropped_and_rows_padded():
    assert parse_table("\n  \na\tb\tc\r\n1\t2\n\n") == [["a", "b", "c"], ["1", "2", ""]]
    assert parse_table("") == []


def test_too_wide_a_table_is_refused_with_a_reason():
    with pytest.raises(DraftingError, match=f"the most a letter can hold is {MAX_TABLE_COLUMNS}"):
        parse_table("\t".join(["x"] * (MAX_TABLE_COLUMNS + 1)))
