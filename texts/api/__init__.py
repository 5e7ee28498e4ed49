"""The texts API (``/api/texts/``): a text's structure, its checks, its Word and PDF files."""
