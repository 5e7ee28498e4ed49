from rest_framework.routers import SimpleRouter

from lifecycle.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("periodic-reviews", views.PeriodicReviewViewSet, basename="periodicreview")
router.register("checks", views.CheckViewSet, basename="implementationcheck")
router.register("non-conformities", views.NonConformityViewSet, basename="nonconformity")
router.register("evaluations", views.EvaluationViewSet, basename="evaluation")

urlpatterns = router.urls
