"""chunks -> index: embed them, index them for BM25, build the English lexicon, store and update the index folder."""
