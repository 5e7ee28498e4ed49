"""The forms of each area. They check input (numbers through ``catalog.rules``) and never
write: the views pass what they return to ``catalog.actions``."""
