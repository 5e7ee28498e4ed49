"""Work rules and yearly plans (clause 5.3)."""

urlpatterns = []
