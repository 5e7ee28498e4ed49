"""What the catalog reads, parses and computes without writing, by area: the number parser
(``numbers``) and the term search (``terms``). The writes are in ``catalog.actions``."""
