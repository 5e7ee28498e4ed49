"""System checks: the history key must be readable before anything is signed."""

from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from audit.keys import history_key


@checks.register(checks.Tags.security)
def history_key_readable(app_configs, **kwargs):
    try:
        history_key()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="audit.E001",
                             hint="See docs/deployment.md, 'History key'.")]
    return []
