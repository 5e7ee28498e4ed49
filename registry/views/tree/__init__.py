"""The tree area's pages: the tree and a node (``pages``), the node operations (``nodes``),
the tree's history (``history``) and the standard pages (``standards``)."""
