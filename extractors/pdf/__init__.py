"""PDF access: open once, words with boxes, lines, label-value pairs and tables."""
