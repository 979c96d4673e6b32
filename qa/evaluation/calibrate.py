"""Fit the confidence model (`qa.answer.calibration`) on tune questions and choose the abstention threshold.

    python -m qa.evaluation.calibrate                         # gold, multi-document and genres tune + CMRC trial
    python -m qa.evaluation.calibrate --no-squad --out /tmp/c.json
    QA_EMBEDDER=use python -m qa.evaluation.calibrate --out qa/answer/calibration-use-m3.json   # for USE-m3

Every tune question is asked with abstention off; each answer's signals and whether it is right become one row. A
logistic regression (L2, Newton steps, numpy) maps signals to P(right); the threshold maximises, over the rows,
(right answers) + (abstentions on unanswerable questions) - 0.5 (wrong answers).
Each source (gold, multi-document, genres, CMRC) weighs the same in total.
Holdout questions are never read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from qa.answer.calibration import DEFAULT_PATH, FEATURES, Calibration
from qa.config import Settings
from qa.evaluation.corpora import CMRC_TRIAL

SQUAD = CMRC_TRIAL


@dataclass(frozen=True)
class Row:
    """One tune question answered with abstention off: the model's inputs, whether the answer was right."""

    source: str
    x: list[float]
    right: bool
    answerable: bool


def fit_logistic(
    x: np.ndarray, y: np.ndarray, sample: np.ndarray | None = None, l2: float = 1.0, steps: int = 50
) -> tuple[np.ndarray, float]:
    """Weights and bias of an L2-regularised, weighted logistic regression (Newton's method, standardised inputs)."""
    sample = np.ones(len(x)) if sample is None else sample
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-9] = 1.0
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    reg = np.full(z.shape[1], l2)
    reg[-1] = 0.0  # the bias is not penalised
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -30, 30)))
        grad = z.T @ (sample * (p - y)) + reg * w
        hess = (z * (sample * p * (1 - p))[:, None]).T @ z + np.diag(reg) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[:-1] / std
    bias = float(w[-1] - (w[:-1] * mean / std).sum())
    return weights, bias


def auc(scores: np.ndarray, labels: np.ndarray) -> float | None:
    """Area under the ROC curve (the chance that a right answer scores above a wrong one)."""
    pos, neg = scores[labels], scores[~labels]
    if not len(pos) or not len(neg):
        return None
    order = np.argsort(np.concatenate([pos, neg]), kind="stable")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


WRONG_COST = 0.5  # a wrong answer costs half what a right one earns (an abstention on an answerable question: 0)


def best_threshold(
    probs: np.ndarray, right: np.ndarray, answerable: np.ndarray, sample: np.ndarray, wrong_cost: float = WRONG_COST
) -> tuple[float, float]:
    """The threshold maximising the weighted utility: +1 per right answer and per abstention on an unanswerable
    question, -WRONG_COST per wrong answer; and that utility."""
    best_t, best_u = 1.0, -np.inf
    for t in np.unique(np.round(probs, 4))[::-1]:  # from the top, so a tie keeps the higher threshold
        answered = probs >= t
        u = float(
            sample[answered & right].sum()
            + sample[~answered & ~answerable].sum()
            - wrong_cost * sample[answered & ~right].sum()
        )
        if u > best_u:
            best_t, best_u = float(t), u
    return best_t, best_u


def collect(name: str, ask: Any, questions: Sequence[Any]) -> list[Row]:
    """Ask every question (abstention off) and keep the answer's model inputs and correctness."""
    from qa.answer.calibration import features
    from qa.evaluation.scoring import score_question

    rows = []
    for q in questions:
        ans = ask(q.question)
        if not ans.signals:  # nothing to answer from (no evidence at all)
            continue
        record = score_question(q, replace(ans, abstained=False), 0.0)
        right = record.correct if q.answerable else False
        rows.append(Row(name, features(ans.signals), bool(right), q.answerable))
    return rows


def _assistant(index_dir: Path) -> Any:
    from qa.assistant import Assistant

    settings = Settings.from_env().with_overrides(index_dir=index_dir, abstain_threshold=0.0)
    return Assistant.load(index_dir, settings, check_sources=False)


def gather(sets: Sequence[str], squad: Path | None) -> list[Row]:
    """Rows from the tune splits of the named gold sets (qa.evaluation.corpora.SETS) and of a SQuAD set (CMRC 2018
    trial, which is all tune)."""
    from qa.evaluation.corpora import SETS, index_for
    from qa.evaluation.gold import load_gold

    rows: list[Row] = []
    for name in sets:
        tune = [q for q in load_gold(SETS[name].file) if q.split == "tune"]
        rows += collect(name, _assistant(index_for(name)).ask, tune)
    if squad is not None:
        from qa.evaluation.squad import ensure_index, load_squad

        dataset = load_squad(squad)
        index_dir, _info = ensure_index(dataset)
        rows += collect("cmrc-trial", _assistant(index_dir).ask, dataset.questions)
    return rows


L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def cross_validated_l2(x: np.ndarray, y: np.ndarray, sample: np.ndarray, folds: int = 5, seed: int = 2026) -> float:
    """The L2 penalty with the lowest weighted log-loss over `folds` folds of the rows (tune data only)."""
    order = np.random.default_rng(seed).permutation(len(x))
    parts = np.array_split(order, folds)
    best, best_loss = L2_GRID[0], np.inf
    for l2 in L2_GRID:
        loss = 0.0
        for k in range(folds):
            test = parts[k]
            train = np.concatenate([parts[j] for j in range(folds) if j != k])
            w, b = fit_logistic(x[train], y[train].astype(float), sample[train], l2)
            p = np.clip(1.0 / (1.0 + np.exp(-np.clip(x[test] @ w + b, -30, 30))), 1e-6, 1 - 1e-6)
            loss -= float((sample[test] * (y[test] * np.log(p) + (~y[test]) * np.log(1 - p))).sum())
        if loss < best_loss:
            best, best_loss = l2, loss
    return best


def calibrate(
    rows: Sequence[Row],
    l2: float | None = None,
    wrong_cost: float = WRONG_COST,
    names: Sequence[str] = FEATURES,
    cut_at_heuristic: float | None = None,
    english_offset: float = 0.0,
) -> Calibration:
    """Fit the model (over the features `names`) and threshold on `rows` (L2 chosen by cross-validation when `l2`
    is None); with `cut_at_heuristic` (a heuristic-only model), the threshold is the probability at that hand-set
    score instead. With `english_offset` (a model of the heuristic alone), an English question counts as if its
    hand-set score were that much higher: its cosines and dictionary coverage run lower for the same evidence.
    `fit` records the data and the measured quality."""
    alone = list(names) == ["heuristic"]
    if english_offset and not alone:
        raise ValueError("english_offset needs a model of the heuristic alone")
    if cut_at_heuristic is not None and not alone:
        raise ValueError("cut_at_heuristic needs a model of the heuristic alone")
    cols = [FEATURES.index(n) for n in names]
    x = np.array([[r.x[c] for c in cols] for r in rows], dtype=float)
    y = np.array([r.right for r in rows], dtype=bool)
    # every source weighs the same in total, so 1,000 CMRC rows do not drown 170 report questions
    sources = [r.source for r in rows]
    sample = np.array([len(rows) / (len(set(sources)) * sources.count(s)) for s in sources])
    l2 = cross_validated_l2(x, y, sample) if l2 is None else l2
    weights, bias = fit_logistic(x, y.astype(float), sample, l2)
    if english_offset:
        english = np.array([[r.x[FEATURES.index("english")]] for r in rows], dtype=float)
        x = np.hstack([x, english])
        weights = np.append(weights, weights[0] * english_offset)
        names = [*names, "english"]
    probs = 1.0 / (1.0 + np.exp(-np.clip(x @ weights + bias, -30, 30)))
    answerable = np.array([r.answerable for r in rows], dtype=bool)
    threshold, utility = best_threshold(probs, y, answerable, sample, wrong_cost)
    if cut_at_heuristic is not None:
        threshold = float(1.0 / (1.0 + np.exp(-(weights[0] * cut_at_heuristic + bias))))
    report: dict[str, Any] = {"rows": len(rows), "l2": l2, "wrong_cost": wrong_cost, "best_utility": utility}
    if english_offset:
        report["english_offset"] = english_offset
    if cut_at_heuristic is not None:
        report["threshold_from_heuristic"] = cut_at_heuristic
    report["sources"] = {}
    for source in sorted({r.source for r in rows}):
        mask = np.array([r.source == source for r in rows])
        answered = probs[mask] >= threshold
        report["sources"][source] = {
            "rows": int(mask.sum()),
            "right_if_answered": round(float(y[mask].mean()), 3),
            "auc_model": _round(auc(probs[mask], y[mask])),
            "auc_heuristic": _round(auc(np.array([r.x[0] for r in rows])[mask], y[mask])),
            "answered": round(float(answered.mean()), 3),
            "precision": _round(float(y[mask][answered].mean()) if answered.any() else None),
        }
    report["fitted_at"] = time.strftime("%Y-%m-%d")
    return Calibration(tuple(float(w) for w in weights), bias, threshold, report, tuple(names))


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_PATH, help="where to write the model (default: %(default)s)"
    )
    parser.add_argument("--squad", type=Path, default=SQUAD, help="SQuAD-format tune set (default: CMRC trial)")
    parser.add_argument("--no-squad", action="store_true", help="leave the SQuAD set out")
    parser.add_argument(
        "--sets", default="gold,multidoc,genres", help="gold sets whose tune split is used (default: %(default)s)"
    )
    parser.add_argument(
        "--l2", type=float, help="L2 penalty on standardised weights (default: 5-fold cross-validation)"
    )
    parser.add_argument("--features", default=",".join(FEATURES), help="comma-separated model inputs (default: all)")
    parser.add_argument(
        "--cut-at-heuristic",
        type=float,
        help="with --features heuristic: keep the abstention cut at this hand-set score instead of the best utility",
    )
    parser.add_argument(
        "--english-offset",
        type=float,
        default=0.0,
        help="with --features heuristic: an English question's hand-set score counts this much higher",
    )
    parser.add_argument("--wrong-cost", type=float, default=WRONG_COST, help="a wrong answer's cost (right: 1)")
    parser.add_argument("--rows", type=Path, help="reuse (or save) the gathered rows in this JSON file")
    args = parser.parse_args(argv)
    features = [n.strip() for n in args.features.split(",") if n.strip()]
    if args.cut_at_heuristic is not None and features != ["heuristic"]:
        parser.error("--cut-at-heuristic needs --features heuristic")
    if args.english_offset and features != ["heuristic"]:
        parser.error("--english-offset needs --features heuristic")
    if args.rows is not None and args.rows.is_file():
        rows = [Row(**r) for r in json.loads(args.rows.read_text(encoding="utf-8"))]
    else:
        from qa.evaluation.corpora import SETS

        names = [n for n in args.sets.split(",") if n in SETS and SETS[n].available()]
        rows = gather(names, None if args.no_squad else args.squad)
        if args.rows is not None:
            args.rows.write_text(json.dumps([r.__dict__ for r in rows]), encoding="utf-8")
    model = calibrate(rows, args.l2, args.wrong_cost, features, args.cut_at_heuristic, args.english_offset)
    model.save(args.out)
    print(json.dumps(model.to_dict(), ensure_ascii=False, indent=1))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
