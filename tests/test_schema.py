"""One schema, three uses: validation reads it, JSON Schemas and the docs' table are generated from it."""

from __future__ import annotations

from labsite import schema
from labsite.schedule import KINDS


def test_every_milestone_kind_has_a_label_and_no_label_lacks_a_kind() -> None:
    assert tuple(KINDS) == schema.MILESTONE_KINDS
