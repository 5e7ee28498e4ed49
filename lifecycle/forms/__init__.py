"""The forms of each area. The reason field, the date input and the user choices are
shared with every app from ``audit.forms``."""
