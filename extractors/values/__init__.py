"""Parsing printed values: numbers, dates and Chinese capital amounts."""
