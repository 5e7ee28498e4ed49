"""Projects that carry a standard through clause 7 arrive with the lifecycle issue."""
