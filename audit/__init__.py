"""The machinery of recorded change (docs/architecture.md, "History")."""
