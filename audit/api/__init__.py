"""What every app's REST API shares (docs/api.md): token authentication, the pages'
permissions, pagination, the per-token rate, one error shape and the ETag of a record.
Each app's endpoints live in its own ``<app>/api/`` package; ``registry/api/urls.py``
mounts them under ``/api/``."""
