"""SQuAD-format datasets as an evaluation source: each context becomes its own document, indexed once and cached."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa.errors import IndexProblem, InputError
from qa.evaluation.gold import GoldQuestion
from qa.text.script import detect_lang
from qa.types import Document

_CLAUSE_END = "。！？!?；;，,\n"
CACHE_FORMAT = 1  # bump when the cached layout changes


@dataclass(frozen=True)
class SquadSet:
    """Documents (one per context, sources ctx-0001...) and the questions asked about them."""

    name: str
    sha256: str
    documents: list[Document]
    questions: list[GoldQuestion]
    skipped: int = 0  # questions without text


def locate(context: str, answer: str, start: int | None) -> int | None:
    """Where `answer` starts in `context`: the given offset when it is right, else the first occurrence."""
    if start is not None and context[start : start + len(answer)] == answer:
        return start
    found = context.find(answer)
    return found if found >= 0 else None


def evidence_clause(context: str, answer: str, start: int | None) -> str:
    """The clause of `context` holding the answer: from the previous clause break to the next one."""
    start = locate(context, answer, start)
    if start is None:
        return answer
    end = start + len(answer)
    left = max(context.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    rights = [i for i in (context.find(c, end - 1) for c in _CLAUSE_END) if i >= 0]
    right = min(rights) + 1 if rights else len(context)
    return context[left:right].strip() or answer


def load_squad(path: Path | str) -> SquadSet:
    """Read a SQuAD v1/v2 json file; raises InputError when it is missing, malformed or has no questions."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"SQuAD file not found: {path}")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path.name}: not valid SQuAD JSON ({err})") from None
    articles = data.get("data") if isinstance(data, dict) else None
    if not isinstance(articles, list):
        raise InputError(f"{path.name}: not SQuAD format (no top-level 'data' list)")
    docs: list[Document] = []
    questions: list[GoldQuestion] = []
    seen: set[str] = set()
    skipped = 0
    for article in articles:
        for para in (article.get("paragraphs") or []) if isinstance(article, dict) else []:
            context = para.get("context") if isinstance(para, dict) else None
            if not isinstance(context, str) or not context.strip():
                continue
            source = f"ctx-{len(docs) + 1:04d}"
            docs.append(Document(source=source, raw_text=context))
            for qa in para.get("qas") or []:
                q = _question(qa, context, source, len(questions))
                if q is None or q.id in seen:
                    skipped += 1
                else:
                    seen.add(q.id)
                    questions.append(q)
    if not questions:
        raise InputError(f"{path.name}: no questions found in SQuAD file")
    return SquadSet(path.name, hashlib.sha256(raw).hexdigest(), docs, questions, skipped)


def _question(qa: Any, context: str, source: str, n: int) -> GoldQuestion | None:
    if not isinstance(qa, dict) or not isinstance(qa.get("question"), str) or not qa["question"].strip():
        return None
    answers: list[str] = []
    evidence: list[str] = []
    positions: list[tuple[int, int]] = []
    impossible = bool(qa.get("is_impossible"))
    for a in [] if impossible else qa.get("answers") or []:
        text = a.get("text") if isinstance(a, dict) else None
        if isinstance(text, str) and text.strip() and text not in answers:
            answers.append(text)
            start = a.get("answer_start")
            start = locate(context, text, start if isinstance(start, int) else None)
            clause = evidence_clause(context, text, start)
            if clause not in evidence:
                evidence.append(clause)
            if start is not None:
                positions.append((start, start + len(text)))
    question = qa["question"].strip()
    return GoldQuestion(
        id=str(qa.get("id") or f"q{n + 1}"),
        lang=detect_lang(question),
        question=question,
        answers=tuple(answers),
        evidence=tuple(evidence),
        source=source,
        type=None if answers else "unanswerable",
        positions=tuple(positions),
    )


def cache_root() -> Path:
    """QA_CACHE_DIR, else ~/.cache/qa, else a folder in the system temp dir (when home is not writable)."""
    env = os.environ.get("QA_CACHE_DIR")
    candidates = [Path(env)] if env else []
    candidates += [Path.home() / ".cache" / "qa", Path(tempfile.gettempdir()) / "qa-cache"]
    for root in candidates:
        try:
            (root / "squad").mkdir(parents=True, exist_ok=True)
            if os.access(root / "squad", os.W_OK):
                return root / "squad"
        except OSError:
            continue
    raise InputError("no writable cache folder for the SQuAD index (set QA_CACHE_DIR)")


def cache_key(dataset: SquadSet, settings: Any) -> str:
    """File hash plus a signature of the index-shaping settings (which include a hash of the chunking code)."""
    params = settings.index_params() if hasattr(settings, "index_params") else {}
    sig = json.dumps({"format": CACHE_FORMAT, **params}, sort_keys=True, default=str)
    return f"{dataset.sha256[:16]}-{hashlib.sha256(sig.encode()).hexdigest()[:8]}"


def ensure_index(
    dataset: SquadSet, settings: Any = None, progress: bool = False, root: Path | None = None
) -> tuple[Path, dict[str, Any]]:
    """Build (or reuse) the dataset's index; returns its folder and {"build_seconds", "cached", ...}."""
    from qa.config import Settings
    from qa.index.build import build_from_documents

    settings = settings or Settings.from_env()
    folder = (root or cache_root()) / cache_key(dataset, settings)
    index_dir = folder / "index"
    info_path = folder / "build.json"
    if info_path.is_file() and index_dir.is_dir() and _usable(index_dir, settings):
        info = json.loads(info_path.read_text(encoding="utf-8"))
        return index_dir, {**info, "cached": True, "index_dir": str(index_dir)}
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    build_from_documents(dataset.documents, index_dir, settings, progress=progress)
    info = {
        "build_seconds": round(time.perf_counter() - t0, 2),
        "documents": len(dataset.documents),
        "dataset": dataset.name,
        "sha256": dataset.sha256,
    }
    info_path.write_text(json.dumps(info, indent=1), encoding="utf-8")
    return index_dir, {**info, "cached": False, "index_dir": str(index_dir)}


def _usable(index_dir: Path, settings: Any) -> bool:
    from qa.index.loaded import load_index

    try:
        data = load_index(index_dir)
    except IndexProblem:
        return False
    params = settings.index_params() if hasattr(settings, "index_params") else None
    return params is None or data.manifest.contract == params
