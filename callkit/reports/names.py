"""Safe file names for reports: a readable slug of the rep id plus a short hash of the exact id."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NOT_SAFE = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 40


def report_slug(rep_id: str) -> str:
    """A file-name stem that is safe whatever the id holds: `../evil` -> `evil-3f2a9c1b`, `007` -> `007-...`.

    The readable part keeps ASCII letters and digits only (accents folded, everything else becomes `-`);
    the hash of the exact id keeps ids apart that fold to the same text (`R01`/`r01`, `a b`/`a-b`).
    """
    folded = unicodedata.normalize("NFKD", rep_id).encode("ascii", "ignore").decode("ascii").lower()
    readable = _NOT_SAFE.sub("-", folded).strip("-")[:MAX_SLUG].strip("-") or "rep"
    digest = hashlib.sha256(rep_id.encode("utf-8")).hexdigest()[:8]
    return f"{readable}-{digest}"
