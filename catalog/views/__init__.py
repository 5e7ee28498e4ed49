"""The catalog's pages, by area: the term list (``terms``) and a standard's amendment form
(``standards``; the standard pages themselves are the registry's). Every write runs an
action."""
