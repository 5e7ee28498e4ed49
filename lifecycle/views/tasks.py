"""My tasks: what waits for the user now, across the areas."""

from django.views.generic import TemplateView

from lifecycle.rules.tasks import tasks_for


class MyTasksView(TemplateView):
    template_name = "lifecycle/tasks/task_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "tasks": tasks_for(self.request.user)}
