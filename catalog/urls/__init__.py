"""The catalog's URLs, one module per area (the standard pages are the registry's)."""

from catalog.urls import standards, terms, validity

app_name = "catalog"

urlpatterns = [*terms.urlpatterns, *standards.urlpatterns, *validity.urlpatterns]
