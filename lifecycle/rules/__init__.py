"""The rules of each area: the checks the forms and the actions share, and the read-side
queries the pages use. Nothing here writes; the writes are in ``lifecycle.actions``."""
