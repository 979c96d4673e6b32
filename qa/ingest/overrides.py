"""Corrections of what a document is, by the user, without editing it: `qa-metadata.json` in a documents folder.

    {"hailar_2017.txt": {"title": "海拉尔区2017年政府工作报告", "places": ["海拉尔区"], "published": 2017}}

Keys are file names as the index knows them (relative to the folder); values set any of title, places, genre,
issuer, level, published, results and targets. The file is read whenever an index built from that folder is
loaded, so a correction takes effect on the next build, `qa ask` or server reload; a damaged file is reported in
one line and ignored (nothing else is lost).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from qa.ingest.metadata import DocMeta
from qa.text.places import distinctive, romanise, short_name

FILE = "qa-metadata.json"
_TEXT = ("title", "genre", "issuer", "level")
_YEARS = ("results", "targets")


def read_overrides(roots: Sequence[str | Path], warn: bool = True) -> dict[str, dict[str, Any]]:
    """source -> corrections, from each folder's FILE (a later folder wins for the same name)."""
    out: dict[str, dict[str, Any]] = {}
    for root in roots:
        path = Path(root) / FILE
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
                raise ValueError("it must map file names to objects")
        except (OSError, ValueError) as exc:
            if warn:
                print(f"qa: {path} ignored: {exc}", file=sys.stderr)
            continue
        out.update({str(k): v for k, v in data.items()})
    return out


def apply_override(meta: DocMeta, fix: Mapping[str, Any]) -> DocMeta:
    """`meta` with the user's corrections; a corrected place brings its short name and romanised forms."""
    changes: dict[str, Any] = {k: str(fix[k]) for k in _TEXT if isinstance(fix.get(k), str) and fix[k].strip()}
    for k in _YEARS:
        if isinstance(fix.get(k), list) and all(isinstance(y, int) for y in fix[k]):
            changes[k] = tuple(fix[k])
    if isinstance(fix.get("published"), int):
        changes["published"] = fix["published"]
    places = fix.get("places")
    if isinstance(places, list) and all(isinstance(p, str) and p.strip() for p in places):
        aliases: list[str] = []
        for p in places:
            aliases += [p, *([short_name(p)] if distinctive(short_name(p)) else []), *romanise(p)]
        changes["places"], changes["aliases"] = tuple(places), tuple(dict.fromkeys(aliases))
    return replace(meta, **changes) if changes else meta


def with_overrides(metas: Mapping[str, DocMeta], roots: Sequence[str | Path]) -> dict[str, DocMeta]:
    """Every document's metadata with the corrections found in `roots` applied."""
    fixes = read_overrides(roots)
    return {s: apply_override(m, fixes[s]) if s in fixes else m for s, m in metas.items()}
