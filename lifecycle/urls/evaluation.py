"""Evaluations of implementation (clauses 8.2–8.3)."""

urlpatterns = []
