"""A trained reader to its run-time form: one onnxruntime graph (input embeddings and attention mask in, start and
end logits out) with int8 weights, its config and its model card. The word embeddings are not in it: the run-time
reader looks them up in the converted encoder's table (`qa.encoder.convert`), which training never changed."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

GRAPH = "reader.onnx"
CONFIG = "config.json"
CARD = "MODEL_CARD.md"


def _wrapped(net: Any) -> Any:  # -> torch.nn.Module
    import torch

    class FromEmbeddings(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.net = net

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> Any:
            return self.net(attention_mask, inputs_embeds=inputs_embeds)

    return FromEmbeddings().eval()


def export_graph(net: Any, path: Path, quantize: bool = True) -> None:
    """Write the float32 graph, then (by default) its dynamic int8 quantisation, to `path`."""
    import torch

    hidden = net.bert.config.hidden_size
    example = (torch.zeros(2, 9, hidden), torch.ones(2, 9, dtype=torch.int64))
    axes = {"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    axes |= {"start_logits": {0: "batch", 1: "tokens"}, "end_logits": {0: "batch", 1: "tokens"}}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(
                _wrapped(net.float()),
                example,
                str(fp32),
                input_names=["inputs_embeds", "attention_mask"],
                output_names=["start_logits", "end_logits"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8)
        else:
            shutil.copyfile(fp32, path)


def export(net: Any, out: Path, config: dict[str, Any], quantize: bool = True) -> None:
    """Write the graph, config.json and MODEL_CARD.md into `out`, each file written beside it and moved into place
    (other files in `out` are left alone)."""
    import os

    from qa.reader.card import model_card

    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".export-", dir=out))
    try:
        config = {**config, "quantized": quantize}
        export_graph(net, work / GRAPH, quantize)
        (work / CONFIG).write_text(json.dumps(config, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        (work / CARD).write_text(model_card(config), encoding="utf-8")
        for name in (GRAPH, CONFIG, CARD):
            os.replace(work / name, out / name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
