"""Writers of the system table: one module per format, all reading ``SystemData``
(``data.py``); ``formats.export`` picks the writer. This package's ``__init__`` imports
nothing: ``manage.py`` imports ``pdf_workers`` before Django is set up."""
