"""Export speed: the seeded system as PDF vs CSV (whole processes, side by side), and a
5,000-row system as PDF (time, peak memory) and XLSX.

Run: ``.venv/bin/python bench/export.py``. Uses throw-away SQLite databases in a temporary
folder (REGISTRY_VAR_DIR), so the real data is untouched. Memory is the peak of the summed
resident size of the command and its layout processes, sampled every 20 ms from /proc.
"""

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


def tree_rss(pid):
    """Resident MiB of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
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
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return seconds, peak


def fresh_env(folder):
    env = {**os.environ, "REGISTRY_VAR_DIR": str(folder),
           "DJANGO_SETTINGS_MODULE": "registry.settings.local", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    manage(env, "migrate", "--no-input", "-v0")
    return env


BIG = """
from catalog.models import Standard
from registry.models import Node, Placement
from tests.factories import build_tree
root = build_tree("基准体系", 4, 10, 40)   # 1,605 nodes, 1,600 aspects
aspects = list(Node.objects.filter(depth=4).order_by("path"))
standards = Standard.objects.bulk_create(
    Standard(number=f"Q/BENCH {i + 1}-2024", title=f"基准标准第{i + 1}号 社会保险业务经办规范",
             code="Q/BENCH", serial=str(i + 1), year=2024, level="organization")
    for i in range(5000))
Placement.objects.bulk_create(
    Placement(node=aspects[i % len(aspects)], standard=s) for i, s in enumerate(standards))
"""


def side_by_side(env, folder):
    times = {"csv": [], "pdf": []}
    memory = {}
    for _ in range(RUNS):
        for fmt in ("csv", "pdf"):
            seconds, mib = manage(env, "export_system_table", "--format", fmt, "--output",
                                  str(folder / f"out.{fmt}"), measure=True)
            times[fmt].append(seconds)
            memory[fmt] = mib
    return {fmt: statistics.median(values) for fmt, values in times.items()}, memory


def main():
    with tempfile.TemporaryDirectory() as seeded_dir, tempfile.TemporaryDirectory() as big_dir:
        seeded = fresh_env(Path(seeded_dir))
        manage(seeded, "seed_system")
        times, memory = side_by_side(seeded, Path(seeded_dir))
        print(f"seeded system: csv {times['csv']:.2f} s, pdf {times['pdf']:.2f} s "
              f"(ratio {times['pdf'] / times['csv']:.1f}×), pdf peak {memory['pdf']:.0f} MiB")

        big = fresh_env(Path(big_dir))
        manage(big, "shell", "--no-imports", "-c", BIG)
        rows = manage(big, "shell", "--no-imports", "-c",
                      "from registry.table_data import *; from registry.system_table import "
                      "find_root; print(len(detail_rows(live_data(find_root()))))").strip()
        for fmt in ("xlsx", "csv", "pdf"):
            seconds, mib = manage(big, "export_system_table", "--format", fmt, "--output",
                                  str(Path(big_dir) / f"big.{fmt}"), measure=True)
            print(f"{rows} rows: {fmt} {seconds:.2f} s, peak {mib:.0f} MiB")


if __name__ == "__main__":
    main()
