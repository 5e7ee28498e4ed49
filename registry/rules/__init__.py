"""Registry's rules, one module per area (``tree/``, ``watch``, ``accounts``) and what the
whole site shares (``links``, ``roles``): what reads, computes, checks or renders without
writing. The writes are in ``registry.actions``."""
