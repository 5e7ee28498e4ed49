"""Settings live in submodules: ``base`` (shared), ``local`` (first run, ``make run``),
``production`` (gunicorn behind nginx) and ``test`` (pytest)."""
