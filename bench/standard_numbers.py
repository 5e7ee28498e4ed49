"""Parsing time of standard numbers: is it linear in the input?

Run: ``.venv/bin/python bench/standard_numbers.py``. The length cap (``MAX_LENGTH``) refuses long
text before parsing, so this bench calls the parser behind the cap (``_Parser``) on
adversarial inputs of n and 10·n characters and prints the time ratio (linear: about 10;
the regular expression this parser replaced took 4.5 s on 16,000 characters, quadratic).
It also prints the time of one corpus number through the public function.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(USE_I18N=False)
django.setup()

from catalog.rules.numbers import (  # noqa: E402
    StandardNumberError,
    _clean,
    _Parser,
    parse_standard_number,
)

ADVERSARIAL = {
    "T/ + letters": lambda n: "T/" + "A" * n,
    "T/ + letters and digits": lambda n: "T/" + "A1" * (n // 2),
    "code + dotted serial": lambda n: "GB/T " + "1." * (n // 2),
    "dashes": lambda n: "GB/T 1" + "-" * n,
    "spaces": lambda n: "GB" + " " * n + "/T 1",
    "ISO parts": lambda n: "ISO 1" + "-1" * (n // 2),
}


def seconds(text, runs=3):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        try:
            _Parser(_clean(text)).number()
        except StandardNumberError:
            pass
        best = min(best, time.perf_counter() - start)
    return best


def main():
    n = 10_000
    for name, make in ADVERSARIAL.items():
        small, large = seconds(make(n)), seconds(make(10 * n))
        print(f"{name:28} n={n:>6}: {small * 1000:7.2f} ms  10n: {large * 1000:8.2f} ms  "
              f"ratio {large / small:5.1f}")
    start = time.perf_counter()
    for _ in range(10_000):
        parse_standard_number("GB/T 19001-2016/ISO 9001:2015")
    print(f"GB/T 19001-2016/ISO 9001:2015: {(time.perf_counter() - start) * 100:.1f} µs each")
    start = time.perf_counter()
    try:
        parse_standard_number("T/" + "A" * 16_000)
    except StandardNumberError:
        pass
    print(f"16,000 characters through the cap: {(time.perf_counter() - start) * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
