"""document -> clean -> chunk: read .txt/.md/.pdf/.docx, clean the text (raw offsets kept), cut it into chunks."""

#: The version of what reading, cleaning and chunking produce; every index records it. Bump it when their output
#: changes for any document (tests/index/test_contract.py fails until you do); a comment or refactor needs no bump.
INGEST_VERSION = 7
# 2: table rows that differ in their figures are no longer dropped as running headers; 3: tab-separated rows kept as
# rows with their caption and header as context; document identity (genre, issuer, level, years); 4: the parts of a
# file holding several years' communiqués (DocMeta.parts); 5: a figure cut from its unit by a line wrap ("514" /
# "万人") is joined again; 6: Markdown table rows split into cells like tab-separated ones (empty cells kept, rule
# rows dropped), a bold "**表2：…**" line is a caption, and a sub-header row stays with its table's header; 7: a
# document whose headings number its parts 一、二、三… in order keeps each text under the heading before it
