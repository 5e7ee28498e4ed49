"""The upload request's checks on the workbooks of the second security audit: time to refuse
and the process's peak memory (VmHWM), each in a fresh process.

    .venv/bin/python bench/import_bombs.py

Before the checks counted sheets and cells, the split bomb (60 sheets just under 1 MiB each,
0.2 MB uploaded) was read in the request for 133 s, and the wide rows (20,000 rows with a cell
in column XFD) took 2.6 GB. The last line is the cell count alone, the zip limits raised.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "registry.settings.test"
import django
django.setup()
from django.conf import settings
from django.utils import translation
from registry.rules.import_files import ImportFileError, check_upload

def hwm():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024

content = open({path!r}, "rb").read()
for name, value in {overrides!r}.items():
    setattr(settings, name, value)
before = hwm()
started = time.perf_counter()
with translation.override("en"):
    try:
        check_upload(content, "bomb.xlsx")
        outcome = "accepted"
    except ImportFileError as exc:
        outcome = str(exc)[:70]
print(f"{{len(content) / 1024:.0f}} KB, refused in {{time.perf_counter() - started:.2f}} s, "
      f"peak {{hwm():.0f}} MiB (+{{hwm() - before:.0f}}): {{outcome}}")
"""
RAISED = {"REGISTRY_IMPORT_MAX_UNCOMPRESSED": 2**30, "REGISTRY_IMPORT_MAX_SHEETS": 100}


def main():
    sys.path.insert(0, str(ROOT))
    from tests.security import bombs

    cases = [("split bomb", bombs.split_bomb(), {}), ("wide rows", bombs.wide_rows(), {}),
             ("split bomb, zip limits raised", bombs.split_bomb(), RAISED)]
    with tempfile.TemporaryDirectory() as folder:
        for label, content, overrides in cases:
            path = Path(folder) / "bomb.xlsx"
            path.write_bytes(content)
            result = subprocess.run(
                [sys.executable, "-c",
                 CHILD.format(root=str(ROOT), path=str(path), overrides=overrides)],
                capture_output=True, text=True, env={**os.environ, "DATABASE_URL": ""},
                check=True)
            print(f"{label}: {result.stdout.strip()}")


if __name__ == "__main__":
    main()
