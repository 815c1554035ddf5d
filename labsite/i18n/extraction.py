"""Interface strings that templates or code use but ``messages.pot`` does not hold yet."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import PoFileError, read_po

from ..load.paths import link_problem
from ..model.problems import Problem, Problems
from .catalog_writer import extract
from .catalogs import CONFIG_FILE, TEMPLATE_FILE


def unextracted(root: Path) -> list[Problem]:
    """A warning at each use of a string missing from ``messages.pot``: every language would show it in English."""
    path = root / TEMPLATE_FILE
    if not path.exists() or not (root / CONFIG_FILE).exists() or link_problem(root, path):  # a link: reported elsewhere
        return []
    try:
        with path.open("rb") as handle:
            known = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in read_po(handle) if m.id}
    except (PoFileError, OSError, UnicodeDecodeError, ValueError):
        return []  # an unreadable template catalogue is reported where the catalogues are read
    problems = Problems()
    for message in extract(root):
        key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
        if not message.id or key in known:
            continue
        for filename, line in sorted(message.locations):
            problems.warn(filename, line or 0, f"'{key[0]}' is not in {TEMPLATE_FILE}, so no language can translate it",
                          "Run 'python build.py i18n extract' and 'python build.py i18n update', then translate it "
                          "in each locales/<language>/LC_MESSAGES/messages.po.")
    return list(problems)
