"""An evaluation run for people: the metrics table, the failed questions with their causes, and the JSON dump."""

from __future__ import annotations

from typing import Any

from qa.evaluation.runner import EvalResult


def format_value(key: str, value: Any) -> str:
    """A metric as printed: 3 decimals, latencies in whole ms, "-" when undefined."""
    if value is None:
        return "-"
    if key.startswith("latency"):
        return f"{value:.0f} ms"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_table(result: EvalResult, baseline: EvalResult | None = None) -> str:
    """One table: a row per metric, a column per language group (and per system when a baseline is given)."""
    systems = [result] + ([baseline] if baseline else [])
    groups = list(result.metrics)
    heads = [f"{g} {s.system}" if baseline else g for g in groups for s in systems]
    rows = [
        [key] + [format_value(key, s.metrics.get(g, {}).get(key)) for g in groups for s in systems]
        for key in result.metrics["all"]
    ]
    widths = [max(len(r[i]) for r in rows + [["metric"] + heads]) for i in range(len(heads) + 1)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    out = [line(["metric"] + heads), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def format_failures(result: EvalResult) -> str:
    """Every failed question with its cause and what came back instead."""
    fails = result.failures
    if not fails:
        return f"{result.system}: no failed questions."
    out = [f"{result.system}: {len(fails)} of {len(result.records)} questions failed"]
    for r in fails:
        out.append(f"  {r.id} [{r.lang}] {r.cause}: {_short(r.question, 70)}")
        expected = " | ".join(r.answers) if r.answers else "(abstain)"
        got = f"error: {r.error}" if r.error else ("(abstained)" if r.abstained else _short(r.answer))
        out.append(f"      expected: {_short(expected, 60)}")
        out.append(f"      returned: {got}")
        if r.cause == "retrieval miss":
            rank = f"evidence at rank {r.hit_rank}" if r.hit_rank else "evidence not in top 10"
            out.append(f"      top hit:  {_short(r.top_hit)} ({rank})")
    return "\n".join(out)


def to_json(result: EvalResult, baseline: EvalResult | None = None) -> dict[str, Any]:
    """Everything: metrics, failures and per-question records (and the baseline's, if any)."""
    data = result.to_dict()
    if baseline is not None:
        data["baseline"] = baseline.to_dict()
    return data
