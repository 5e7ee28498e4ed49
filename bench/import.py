"""Import speed: the 5,000-placement system of bench/export.py exported as XLSX and CSV, then
checked (``--dry-run``) and imported into an empty database (time, peak memory).

Run: ``.venv/bin/python bench/import.py``. Throw-away SQLite databases in temporary folders.
"""

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from export import BIG, fresh_env, manage  # noqa: E402


def main():
    with tempfile.TemporaryDirectory() as big_dir:
        big = fresh_env(Path(big_dir))
        manage(big, "shell", "--no-imports", "-c", BIG)
        files = {}
        for fmt in ("xlsx", "csv"):
            files[fmt] = Path(big_dir) / f"big.{fmt}"
            manage(big, "export_system_table", "--format", fmt, "--output", str(files[fmt]))
        for fmt, path in files.items():
            print(f"{fmt}: {path.stat().st_size / 2**20:.1f} MiB")
        with tempfile.TemporaryDirectory() as empty_dir:
            empty = fresh_env(Path(empty_dir))
            seconds, mib = manage(empty, "import_system_table", str(files["xlsx"]),
                                  "--dry-run", measure=True)
            print(f"xlsx into an empty database, check only: {seconds:.2f} s, peak {mib:.0f} MiB")
            seconds, mib = manage(empty, "import_system_table", str(files["xlsx"]), measure=True)
            print(f"xlsx into an empty database, imported: {seconds:.2f} s, peak {mib:.0f} MiB")
            seconds, mib = manage(empty, "import_system_table", str(files["csv"]), "--dry-run",
                                  measure=True)
            print(f"csv into the same system again (nothing to change): {seconds:.2f} s, "
                  f"peak {mib:.0f} MiB")


if __name__ == "__main__":
    main()
