"""Export speed: the seeded system as PDF vs CSV (whole processes, side by side), and a
5,000-row system as PDF (time, peak memory) and XLSX.

Run: ``.venv/bin/python bench/export.py`` (``--rows 1000``: a smaller big system;
``--big-pdf-only``: only the big PDF, three times, for before/after comparisons). Uses
throw-away SQLite databases in a temporary folder (REGISTRY_VAR_DIR), so the real data is
untouched. Memory is the peak of the summed resident size of the command and its layout
processes, sampled every 20 ms from /proc.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
RUNS = 3


def tree_rss(pid, cpu=None):
    """Resident MiB of ``pid`` and all its descendants; ``cpu`` (pid → seconds) gets the CPU
    time each has used so far (utime + stime)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            if cpu is not None:
                with open(f"/proc/{current}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                cpu[current] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo += [int(child) for child in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 2**20


def manage(env, *args, measure=False):
    command = [PYTHON, str(ROOT / "manage.py"), *args]
    if not measure:
        return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    peak, cpu = 0.0, {}
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid, cpu))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    # CPU seconds of the command and its layout processes, as last sampled (a process's
    # last 20 ms may be missed): less sensitive than the wall time to a busy machine.
    return seconds, peak, sum(cpu.values())


def fresh_env(folder):
    env = {**os.environ, "REGISTRY_VAR_DIR": str(folder),
           "DJANGO_SETTINGS_MODULE": "registry.settings.local", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    manage(env, "migrate", "--no-input", "-v0")
    return env


def big_system(rows):
    """A system of about ``rows`` detail rows that looks like a real one (long titles and
    remarks, adopted and replaced numbers, withdrawn standards, open aspects):
    ``tests/big_system.py``, shared with the PDF layout test."""
    return (f"from tests.big_system import build_big_system; build_big_system({rows})")


def side_by_side(env, folder):
    times = {"csv": [], "pdf": []}
    memory = {}
    for _ in range(RUNS):
        for fmt in ("csv", "pdf"):
            seconds, mib, _cpu = manage(env, "export_system_table", "--format", fmt,
                                        "--output", str(folder / f"out.{fmt}"), measure=True)
            times[fmt].append(seconds)
            memory[fmt] = mib
    return {fmt: statistics.median(values) for fmt, values in times.items()}, memory


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="rows of the big system")
    parser.add_argument("--big-pdf-only", action="store_true",
                        help="only the big system's PDF, RUNS times (for before/after)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as seeded_dir, tempfile.TemporaryDirectory() as big_dir:
        if not options.big_pdf_only:
            seeded = fresh_env(Path(seeded_dir))
            manage(seeded, "seed_system")
            times, memory = side_by_side(seeded, Path(seeded_dir))
            print(f"seeded system: csv {times['csv']:.2f} s, pdf {times['pdf']:.2f} s "
                  f"(ratio {times['pdf'] / times['csv']:.1f}×), pdf peak {memory['pdf']:.0f} MiB")

        big = fresh_env(Path(big_dir))
        manage(big, "shell", "--no-imports", "-c", big_system(options.rows))
        rows = manage(big, "shell", "--no-imports", "-c",
                      "from registry.rules.tree.table_data import *; "
                      "from registry.rules.tree.system_table import find_root; "
                      "print(len(detail_rows(live_data(find_root()))))").strip()
        formats = ("pdf",) * RUNS if options.big_pdf_only else ("xlsx", "csv", "pdf")
        for fmt in formats:
            seconds, mib, cpu = manage(big, "export_system_table", "--format", fmt, "--output",
                                       str(Path(big_dir) / f"big.{fmt}"), measure=True)
            pages = ""
            if fmt == "pdf":
                info = subprocess.run(["pdfinfo", str(Path(big_dir) / "big.pdf")],
                                      capture_output=True, text=True).stdout
                pages = " " + next((line.split()[-1] + " pages" for line in info.splitlines()
                                    if line.startswith("Pages:")), "")
            print(f"{rows} rows: {fmt} {seconds:.2f} s (CPU {cpu:.1f} s), peak {mib:.0f} MiB"
                  f"{pages}", flush=True)


if __name__ == "__main__":
    main()
