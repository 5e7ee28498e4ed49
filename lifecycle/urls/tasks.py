"""My tasks."""

from django.urls import path

from lifecycle.views import tasks

urlpatterns = [
    path("tasks/", tasks.MyTasksView.as_view(), name="task_list"),
]
