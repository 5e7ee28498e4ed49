"""Organization, people and training (clause 5.1–5.2)."""

urlpatterns = []
