"""Check that the Vietnamese catalogue is complete: no untranslated and no fuzzy entries.

Usage: python scripts/check_translations.py [path/to/django.po ...]

Without arguments it checks locale/vi/LC_MESSAGES/django.po. Exits 0 when every entry is translated and
none is fuzzy; otherwise lists the offending msgids on stderr and exits 1 (2 when a file is missing or
cannot be read). Obsolete (#~) entries are ignored. Tests can call ``problems(path)`` or ``main([...])``.
"""

import sys
from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _label(message):
    msgid = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return f"[{message.context}] {msgid}" if message.context else msgid


def _untranslated(message):
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return not strings or any(not s for s in strings)


def problems(path=DEFAULT_PO):
    """Return (untranslated, fuzzy): lists of msgids (prefixed by [context] when there is one)."""
    with open(path, "rb") as fh:
        catalog = read_po(fh, abort_invalid=True)
    untranslated, fuzzy = [], []
    if catalog.fuzzy:
        fuzzy.append("(header)")
    for message in catalog:
        if not message.id:  # the header entry
            continue
        if _untranslated(message):
            untranslated.append(_label(message))
        elif message.fuzzy:
            fuzzy.append(_label(message))
    return untranslated, fuzzy


def main(argv=None):
    paths = [Path(p) for p in (sys.argv[1:] if argv is None else argv)] or [DEFAULT_PO]
    status = 0
    for path in paths:
        try:
            untranslated, fuzzy = problems(path)
        except (OSError, PoFileError) as exc:
            print(f"{path}: cannot read: {exc}", file=sys.stderr)
            status = max(status, 2)
            continue
        if not untranslated and not fuzzy:
            print(f"{path}: OK, every entry is translated.")
            continue
        status = max(status, 1)
        for title, ids in (("untranslated", untranslated), ("fuzzy", fuzzy)):
            if ids:
                print(f"{path}: {len(ids)} {title} entr{'y' if len(ids) == 1 else 'ies'}:", file=sys.stderr)
                for msgid in ids:
                    print(f"  {msgid!r}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
