from django.core.management.base import BaseCommand

from registry.tasks import run


class Command(BaseCommand):
    help = ("Run one export job here and now, by hand (the export page queues jobs for the "
            "Celery workers).")

    def add_arguments(self, parser):
        parser.add_argument("job_id", type=int)

    def handle(self, *args, job_id, **options):
        run(job_id)
