from rest_framework.routers import SimpleRouter

from texts.api import views

router = SimpleRouter()
router.register("texts", views.TextViewSet, basename="text")

urlpatterns = router.urls
