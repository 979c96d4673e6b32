"""Text helpers every stage shares: which script a text is in, Chinese word segmentation, sentences, English words."""
