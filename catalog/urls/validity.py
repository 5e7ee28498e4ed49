from django.urls import path

from catalog.views import validity

urlpatterns = [
    path("validity/", validity.ValidityCheckView.as_view(), name="validity_check"),
    path("validity/checks/", validity.ValidityListView.as_view(), name="validity_list"),
    path("validity/checks/<int:pk>/", validity.ValidityDetailView.as_view(),
         name="validity_detail"),
    path("validity/checks/<int:pk>/xlsx/", validity.ValidityXlsxView.as_view(),
         name="validity_xlsx"),
]
