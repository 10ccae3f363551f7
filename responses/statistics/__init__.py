"""Compliance statistics: what the central government FOI tables count, for one authority.

outcomes.py maps each decision outcome to the statistics' outcome categories (the one
place a new outcome is slotted in); figures.py counts a year's requests and reviews per
quarter with a fixed number of aggregate queries; charts.py lays the figures out as SVG
bars; export.py writes them as CSV with the central government column names.
"""
