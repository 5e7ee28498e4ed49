"""The tree area's rules: its rows and counts (``rows``), system codes (``codes``), the
system at a past moment (``as_of``), the system table's rows and statistics
(``table_data``, ``system_table``), node names (``names``), what each history row records
of a node's place (``history``), and the organization's own tree (``scope``)."""
