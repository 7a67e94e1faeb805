"""Spreadsheets (XLSX, XLS, CSV) as grids of cells with their references."""
