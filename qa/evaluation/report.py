"""A static HTML page for an evaluation run: metrics table, recall@k curve, latency histogram, failures."""

from __future__ import annotations

import html
from pathlib import Path

from qa.evaluation.runner import EvalResult
from qa.evaluation.scoring import QuestionRecord
from qa.evaluation.table import format_value


def _plots(results: list[EvalResult], out_dir: Path) -> tuple[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    styles = ["-o", "--s", ":^", "-.v"]
    for si, res in enumerate(results):
        groups = list(res.metrics) if len(res.metrics) > 2 else ["all"]  # one language: "all" says it
        for group, style in zip(groups, styles * 4, strict=False):
            ks = [k for k in res.k_values if res.metrics[group].get(f"recall@{k}") is not None]
            if ks:
                ax.plot(
                    ks,
                    [res.metrics[group][f"recall@{k}"] for k in ks],
                    style,
                    color=f"C{si}",
                    label=f"{res.system} ({group})",
                )
    ax.set(xlabel="k (chunks retrieved)", ylabel="recall@k", ylim=(0, 1.02), title="Retrieval recall@k")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_dir / "recall_at_k.png", dpi=110)
    plt.close(fig)

    import numpy as np

    fig, ax = plt.subplots(figsize=(6, 4))
    every = [max(r.latency_ms, 0.01) for res in results for r in res.records] or [1.0]
    lo, hi = min(every), max(every)
    log = hi / lo > 20  # a long tail reads better on a log axis
    bins = np.geomspace(lo, hi * 1.001, 40) if log else np.linspace(lo, hi + 1e-9, 40)
    for si, res in enumerate(results):
        ax.hist(
            [max(r.latency_ms, 0.01) for r in res.records], bins=list(bins), alpha=0.6, color=f"C{si}", label=res.system
        )
    if log:
        ax.set_xscale("log")
    ax.set(xlabel="latency per question (ms)", ylabel="questions", title="Latency")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_dir / "latency.png", dpi=110)
    plt.close(fig)
    return "recall_at_k.png", "latency.png"


def _table(results: list[EvalResult]) -> str:
    groups = list(results[0].metrics)
    head = "".join(f"<th>{html.escape(g)} · {html.escape(r.system)}</th>" for g in groups for r in results)
    rows = []
    for key in results[0].metrics["all"]:
        cells = "".join(
            f"<td>{html.escape(format_value(key, r.metrics.get(g, {}).get(key)))}</td>" for g in groups for r in results
        )
        rows.append(f"<tr><th>{html.escape(key)}</th>{cells}</tr>")
    return f"<table><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"


def _failures(result: EvalResult) -> str:
    if not result.failures:
        return f"<p>{html.escape(result.system)}: no failed questions.</p>"
    rows = []
    for r in result.failures:
        got = r.error or ("(abstained)" if r.abstained else r.answer)
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{html.escape(str(x))}</td>"
                for x in (
                    r.id,
                    r.lang,
                    r.cause,
                    r.question,
                    " | ".join(r.answers) or "(abstain)",
                    got[:300],
                    r.hit_rank or "-",
                )
            )
            + "</tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in ("id", "lang", "cause", "question", "expected", "returned", "hit rank"))
    return (
        f"<h2>Failed questions: {html.escape(result.system)} ({len(result.failures)} of "
        f"{len(result.records)})</h2><table><tr>{head}</tr>{''.join(rows)}</table>"
    )


_CSS = (
    "body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;"
    "text-align:left;vertical-align:top;font-size:14px}img{max-width:48%;margin-right:1%}"
)


def precision_recall(records: list[QuestionRecord]) -> list[tuple[float, float, float]]:
    """(threshold, precision, recall) at each confidence among `records` answered with abstention off: precision
    is the share of answers at or above the threshold that are right, recall the share of answerable questions
    answered right."""
    scored = sorted((r for r in records if r.confidence is not None), key=lambda r: -(r.confidence or 0.0))
    answerable = sum(r.answerable for r in records) or 1
    out, right = [], 0
    for i, r in enumerate(scored, start=1):
        right += r.correct and r.answerable
        out.append((float(r.confidence or 0.0), right / i, right / answerable))
    return out


def _pr_plot(curve: EvalResult, threshold: float | None, out_dir: Path) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4))
    groups = [g for g in ("all", "zh", "en") if g in curve.metrics]
    for i, group in enumerate(groups):
        recs = [r for r in curve.records if group == "all" or r.lang == group]
        points = precision_recall(recs)
        if points:
            ax.plot([p[2] for p in points], [p[1] for p in points], color=f"C{i}", label=group)
            if threshold is not None:
                at = [p for p in points if p[0] >= threshold]
                if at:
                    ax.plot([at[-1][2]], [at[-1][1]], "o", color=f"C{i}")
    title = "Answers: precision against recall by confidence"
    ax.set(xlabel="recall (answerable questions answered right)", ylabel="precision (answers right)", title=title)
    ax.set(xlim=(0, 1.02), ylim=(0, 1.02))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, title="dots: the abstention threshold" if threshold is not None else None)
    fig.tight_layout()
    fig.savefig(out_dir / "precision_recall.png", dpi=110)
    plt.close(fig)
    return "precision_recall.png"


def write_report(
    result: EvalResult,
    out_dir: Path | str,
    baseline_result: EvalResult | None = None,
    curve: EvalResult | None = None,
    threshold: float | None = None,
) -> Path:
    """Write index.html plus the PNGs into `out_dir`; returns the path of index.html. `curve` is the same run with
    abstention off, for the precision/recall curve (`threshold` marks the assistant's cut on it)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = [result] + ([baseline_result] if baseline_result else [])
    recall_png, latency_png = _plots(results, out_dir)
    pr = f"<img src='{_pr_plot(curve, threshold, out_dir)}' alt='precision recall curve'>" if curve else ""
    info = "".join(f"<li>{html.escape(str(k))}: {html.escape(str(v))}</li>" for k, v in result.info.items())
    page = (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>qa eval</title>"
        f"<style>{_CSS}</style></head><body><h1>qa evaluation</h1><ul>{info}</ul>"
        f"{_table(results)}"
        f"<img src='{recall_png}' alt='recall at k curve'><img src='{latency_png}' alt='latency histogram'>{pr}"
        + "".join(_failures(r) for r in results)
        + "</body></html>"
    )
    path = out_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
