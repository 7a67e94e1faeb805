"""Pages whose text runs sideways (a scan fed rotated, a /Rotate the content did not follow):
characters turned back upright so lines read left to right, as a reader would turn the page."""

from __future__ import annotations

from collections import Counter


def _direction(char: dict) -> int:
    """Which way a char's text runs on screen: 0 right, 90 down, 180 left, 270 up."""
    a, b = char["matrix"][0], char["matrix"][1]
    if abs(a) >= abs(b):
        return 0 if a > 0 else 180
    return 270 if b > 0 else 90


def dominant_direction(chars: list[dict]) -> int:
    """The direction most characters run in."""
    counts = Counter(_direction(c) for c in chars)
    return counts.most_common(1)[0][0] if counts else 0


def _turn(c: dict, direction: int, width: float, height: float) -> dict:
    """One char's box in the coordinates of the page turned so its text runs right."""
    x0, x1, top, bottom = c["x0"], c["x1"], c["top"], c["bottom"]
    if direction == 270:  # runs up: turn the page clockwise
        box = (height - bottom, height - top, x0, x1)
    elif direction == 90:  # runs down: turn the page anticlockwise
        box = (top, bottom, width - x1, width - x0)
    else:  # upside down
        box = (width - x1, width - x0, height - bottom, height - top)
    nx0, nx1, ntop, nbottom = box
    size = round(nbottom - ntop, 2)  # pdfminer's size of a sideways char is its advance
    return {**c, "x0": nx0, "x1": nx1, "top": ntop, "bottom": nbottom, "doctop": ntop,
            "upright": True, "width": nx1 - nx0, "height": nbottom - ntop, "size": size,
            "matrix": (size, 0.0, 0.0, size, nx0, height - nbottom), "direction": "ltr"}


def upright_chars(chars: list[dict], width: float, height: float) -> tuple[list[dict], float, float]:
    """The page's chars turned upright when most run sideways, with the turned page size."""
    direction = dominant_direction(chars)
    if direction == 0:
        return chars, width, height
    turned = [_turn(c, direction, width, height) for c in chars]
    size = (height, width) if direction in (90, 270) else (width, height)
    return turned, *size
