"""A sheet photographed at an angle: its four corners found, and the sheet warped flat.

The page is looked for on a small copy of the photo in two maps, edges (Canny, closed) and
brightness (Otsu: paper is lighter than the desk); each outer contour is simplified with
approxPolyDP. A quadrilateral is taken only with confidence: convex, covering between
`MIN_SHARE` and `MAX_SHARE` of the photo, corners between 45 and 135 degrees, opposite sides of
similar length, its outline standing on edges for at least `MIN_SUPPORT` of its length, and
lighter inside than just outside (paper on a desk, not a table frame printed on the paper).
Otherwise the photo is read as it is (a flat scan, a close crop, a busy desk).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

WORK = 800  # long side of the copy the page is looked for on, in pixels
MIN_SHARE = 0.2  # the sheet covers at least this share of the photo ...
MAX_SHARE = 0.97  # ... and less than this (else the photo is the sheet already)
MIN_SUPPORT = 0.6  # share of the outline on an edge of the photo
MIN_ANGLE, MAX_ANGLE = 45.0, 135.0
MAX_SIDE_RATIO = 1.6  # opposite sides no more unequal than this
RING, MIN_CONTRAST = 6, 25  # paper at least this much lighter than a ring of this width outside


@dataclass(frozen=True)
class Sheet:
    """The sheet found on a photo: corners (tl, tr, br, bl) in the photo's pixels, how sure."""

    corners: np.ndarray
    share: float  # of the photo's area
    support: float  # share of the outline on an edge

    def size(self) -> tuple[int, int]:
        """Width and height of the flattened sheet: its longer opposite sides."""
        tl, tr, br, bl = self.corners
        width = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
        height = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
        return round(width), round(height)


def _ordered(points: np.ndarray) -> np.ndarray:
    """Four points as top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    s, d = pts.sum(1), np.diff(pts, axis=1).ravel()
    return np.array([pts[s.argmin()], pts[d.argmin()], pts[s.argmax()], pts[d.argmax()]],
                    dtype=np.float32)


def _angles_ok(q: np.ndarray) -> bool:
    for i in range(4):
        a, b, c = q[i - 1], q[i], q[(i + 1) % 4]
        u, v = a - b, c - b
        cos = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v) + 1e-9))
        if not MIN_ANGLE <= math.degrees(math.acos(max(-1.0, min(1.0, cos)))) <= MAX_ANGLE:
            return False
    return True


def _sides_ok(q: np.ndarray) -> bool:
    sides = [float(np.linalg.norm(q[(i + 1) % 4] - q[i])) for i in range(4)]
    return all(max(sides[i], sides[i + 2]) <= MAX_SIDE_RATIO * max(min(sides[i], sides[i + 2]), 1.0)
               for i in range(2))


def _support(q: np.ndarray, edges: np.ndarray) -> float:
    """Share of points along the outline that stand on (or next to) an edge pixel."""
    h, w = edges.shape
    on = total = 0
    for i in range(4):
        a, b = q[i], q[(i + 1) % 4]
        n = max(int(np.linalg.norm(b - a) / 2), 2)
        for t in np.linspace(0.05, 0.95, n):
            x, y = (a + (b - a) * t).round().astype(int)
            total += 1
            if 0 <= x < w and 0 <= y < h and edges[y, x]:
                on += 1
    return on / total if total else 0.0


def _paper_on_desk(q: np.ndarray, grey: np.ndarray) -> bool:
    """Whether just outside the outline is darker than just inside it: a sheet on a desk, not
    a frame printed on a sheet (warping to that would cut off what is printed around it)."""
    import cv2

    mask = np.zeros(grey.shape, np.uint8)
    cv2.fillConvexPoly(mask, q.round().astype(np.int32), 255)
    k = np.ones((2 * RING + 1, 2 * RING + 1), np.uint8)
    outside = cv2.dilate(mask, k) > mask
    inside = mask > cv2.erode(mask, k)
    if outside.sum() < 10 or inside.sum() < 10:
        return False
    return float(np.median(grey[inside])) - float(np.median(grey[outside])) >= MIN_CONTRAST


def find_sheet(gray: np.ndarray) -> Sheet | None:
    """The sheet's corners on a grey photo, or None when no quadrilateral is found with
    confidence."""
    import cv2

    h, w = gray.shape[:2]
    f = WORK / max(h, w)
    small = cv2.resize(gray, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA) \
        if f < 1 else gray
    f = min(f, 1.0)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    edges = cv2.Canny(blurred, 40, 120)
    near = cv2.dilate(edges, np.ones((5, 5), np.uint8))
    _, bright = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, np.ones((7, 7), np.uint8))
    closed = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    area = float(small.shape[0] * small.shape[1])
    best: Sheet | None = None
    for source in (closed, bright):
        contours, _ = cv2.findContours(source, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
            hull = cv2.convexHull(c)
            share = cv2.contourArea(hull) / area
            if not MIN_SHARE <= share <= MAX_SHARE:
                continue
            quad = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
            if len(quad) != 4 or not cv2.isContourConvex(quad):
                continue
            q = _ordered(quad)
            if not (_angles_ok(q) and _sides_ok(q)):
                continue
            support = _support(q, near)
            if support < MIN_SUPPORT or not _paper_on_desk(q, blurred):
                continue
            if best is None or share > best.share:  # the paper, not a frame printed on it
                best = Sheet(q / f, float(share), float(support))
    return best


def flatten(gray: np.ndarray, sheet: Sheet) -> tuple[np.ndarray, np.ndarray]:
    """The sheet warped to a rectangle, and the homography from it back onto the photo."""
    import cv2

    width, height = sheet.size()
    rect = np.array([(0, 0), (width, 0), (width, height), (0, height)], dtype=np.float32)
    forward = cv2.getPerspectiveTransform(sheet.corners.astype(np.float32), rect)
    flat = cv2.warpPerspective(gray, forward, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    return flat, np.linalg.inv(forward)


def mapper(homography: np.ndarray | None, factor: float = 1.0):
    """A point of the flattened (or working) image -> the point on the photo, times `factor`
    (the photo's pixels per working pixel)."""
    def to_photo(x: float, y: float) -> tuple[float, float]:
        if homography is None:
            return x * factor, y * factor
        v = homography @ np.array([x, y, 1.0])
        return float(v[0] / v[2]) * factor, float(v[1] / v[2]) * factor
    return to_photo
