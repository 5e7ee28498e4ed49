from django.urls import include, path
from rest_framework.routers import SimpleRouter

from catalog.api import views

router = SimpleRouter()
router.register("terms", views.TermViewSet, basename="term")
router.register("validity-checks", views.ValidityCheckViewSet, basename="validitycheck")

urlpatterns = [
    path("numbers/", views.NumbersView.as_view(), name="numbers"),
    path("", include(router.urls)),
]
