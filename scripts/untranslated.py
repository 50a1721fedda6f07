"""Print the msgids in code and templates that the Dutch catalogue lacks, as .po entries to
translate and append (`>> translations/nl/LC_MESSAGES/messages.po`), without rewriting the
catalogue as `make translations-update` does. Run from the project root:

    .venv/bin/python scripts/untranslated.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "messages.pot"
        CommandLineInterface().run(
            [
                "pybabel",
                "-q",
                "extract",
                "-F",
                str(ROOT / "babel.cfg"),
                "-k",
                "_l",
                "-k",
                "lazy_gettext",
                "--no-location",
                "-o",
                str(pot),
                str(ROOT),
            ]
        )
        with pot.open("rb") as extracted:
            wanted = read_po(extracted)
    with (ROOT / "translations/nl/LC_MESSAGES/messages.po").open("rb") as po:
        dutch = read_po(po, locale="nl")
    missing = Catalog(locale="nl")
    for message in wanted:
        if message.id and message.id not in dutch:
            missing.add(message.id, flags=message.flags)
    write_po(sys.stdout.buffer, missing, omit_header=True, width=0, no_location=True)


if __name__ == "__main__":
    main()
