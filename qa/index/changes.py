"""What one build changed in an index's document set: added, changed and removed documents, and the lines
cleaning dropped from the documents read now (page numbers, running headers). The build log prints it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Changes:
    """Sources added, changed (other text under the same name) and removed by a build, and the number of lines
    dropped as page furniture from each document indexed now (only those with any)."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    dropped_lines: tuple[tuple[str, int], ...] = ()

    def lines(self) -> list[str]:
        """The build log's lines: one per kind of change that happened."""
        out = []
        for label, names in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            if names:
                out.append(f"{label} {len(names)}: {_names(names)}")
        if self.removed:
            out.append("(removed: no longer among the files given to this build; build with them to keep them)")
        out += [f"{source}: {n} lines dropped as page numbers or running headers" for source, n in self.dropped_lines]
        return out


def _names(names: tuple[str, ...], most: int = 10) -> str:
    shown = ", ".join(names[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most} more"


def changes_between(before: Mapping[str, Mapping[str, Any]], after: Mapping[str, Mapping[str, Any]]) -> Changes:
    """The changes from the document entries `before` a build to those `after` it (source -> entry with "hash";
    an entry's "meta" holds the lines its cleaning dropped)."""
    added = tuple(sorted(s for s in after if s not in before))
    changed = tuple(sorted(s for s in after if s in before and before[s].get("hash") != after[s].get("hash")))
    removed = tuple(sorted(s for s in before if s not in after))
    dropped = []
    for s in added + changed:
        meta = after[s].get("meta")
        n = int(meta.get("dropped_lines") or 0) if isinstance(meta, Mapping) else 0
        if n:
            dropped.append((s, n))
    return Changes(added, changed, removed, tuple(dropped))
