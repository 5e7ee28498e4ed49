from django.urls import path

from texts import views

app_name = "texts"

urlpatterns = [
    path("", views.TextListView.as_view(), name="list"),
    path("<int:pk>/", views.text_page, name="text"),
    path("<int:pk>/edit/", views.EditorView.as_view(), name="edit"),
    path("<int:pk>/cover/", views.CoverView.as_view(), name="cover"),
    path("<int:pk>/checks/", views.checks_fragment, name="checks"),
    path("<int:pk>/import/", views.ImportView.as_view(), name="import"),
    path("<int:pk>/export/<str:fmt>/", views.ExportView.as_view(), name="export"),
    path("<int:pk>/parts/add/", views.AddPartView.as_view(), name="part_add"),
    path("<int:pk>/parts/<int:part_pk>/", views.SavePartView.as_view(), name="part_save"),
    path("<int:pk>/parts/<int:part_pk>/move/<str:direction>/", views.MovePartView.as_view(),
         name="part_move"),
    path("<int:pk>/parts/<int:part_pk>/delete/", views.DeletePartView.as_view(),
         name="part_delete"),
    path("<int:pk>/parts/<int:part_pk>/offer-term/", views.AddTermFromTextView.as_view(),
         name="offer_term"),
    path("<int:pk>/parts/<int:part_pk>/image/", views.figure_image, name="figure_image"),
    path("standard/<int:pk>/", views.StandardTextView.as_view(), name="standard_text"),
]
