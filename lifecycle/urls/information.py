"""The information library (clause 5.4)."""

urlpatterns = []
