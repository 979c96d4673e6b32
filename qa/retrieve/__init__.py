"""question -> hits: analyse the question (language, tokens, dictionary terms) and fuse BM25 with dense search."""
