"""A laboratory certificate that is not a fuel analysis, named so instead of left unknown.

Labs issue certificates for many things (food, cannabis, water, metals): an analyte table with
detection or quantitation limits, and none of the parameters a fuel's emission factor comes from
(calorific value, carbon, gas composition). Such a report is not evidence for this verification,
and the verifier is told that, with the words that showed it.
"""

from __future__ import annotations

from extractors.classify import score, signatures
from extractors.labels import key


def fuel_result_printed(text: str) -> bool:
    """Whether the text prints any fuel parameter the lab_report signature looks for."""
    folded = key(text)
    return any(w in folded for w in signatures()["lab_report"].groups["result"].words)


def other_lab(text: str) -> str | None:
    """The reason a text is a lab report of a kind not verified, or None when it is not one."""
    share, found = score(text, "lab_other")
    if share < 1.0 or fuel_result_printed(text):
        return None
    return ("a laboratory report of a kind this verification does not use (found "
            + ", ".join(found) + "; no calorific value, carbon or gas composition printed): "
            "not fuel evidence")
