"""What the texts app computes without writing: the document's structure and numbering
(``structure``), reading a DOCX into it (``docx_import``) and the drafting checks
(``checks``)."""
