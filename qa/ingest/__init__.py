"""document -> clean -> chunk: read .txt/.md/.pdf/.docx, clean the text (raw offsets kept), cut it into chunks."""
