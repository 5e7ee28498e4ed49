"""Implementation checks and corrective actions (clause 8.1)."""

urlpatterns = []
