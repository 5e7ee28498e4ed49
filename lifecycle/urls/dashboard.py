"""The leaders' dashboard."""

urlpatterns = []
