"""Worker processes that lay PDF documents out with WeasyPrint, one per core.

They are forked when an export starts (``start()``), before the data is loaded, so that
importing WeasyPrint and loading the CJK font overlap the database queries; a worker lays
out one document at a time and sends back its page count and PDF bytes. Being forked
children they end with ``os._exit`` — no interpreter tear-down of the layout's objects.
Figures in docs/performance.md.
"""

import ctypes.util
import gc
import multiprocessing
import os
import traceback
from multiprocessing.connection import wait

WORKERS = 2
# The first layout with the CJK font loads it (~50 ms); done before the first real job.
WARM_UP = '<p style="font-family: \'Noto Sans CJK SC\'">标准 Standard</p>'


def import_weasyprint():
    """Import WeasyPrint without its library probing.

    WeasyPrint opens Pango, HarfBuzz and fontconfig by trying several names per library;
    each name that is not a full soname makes cffi call ``ctypes.util.find_library``, which
    runs ``gcc`` and ``ldconfig`` in subprocesses: 22 of them, 0.15 s of every cold export.
    The names include the Linux sonames (``libpango-1.0.so.0``), which load directly, so
    probing is switched off while it imports — and left on where that is not enough.
    """
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    except OSError:  # pragma: no cover - a system whose libraries need probing
        ctypes.util.find_library = find_library
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


def _serve(connection):
    import_weasyprint()
    from weasyprint import HTML

    # Layout allocates a great many small objects and keeps them until the PDF is written;
    # the cyclic collector would walk them again and again for nothing (30 % of layout).
    # The boxes refer to their parents, so a written document is freed by one collection.
    gc.disable()
    HTML(string=WARM_UP).render()
    while True:
        try:
            html = connection.recv()
        except EOFError:
            break
        if html is None:
            break
        try:
            document = HTML(string=html).render()
            connection.send(("ok", len(document.pages), document.write_pdf()))
            del document
            gc.collect()
        except Exception:  # noqa: BLE001 - sent to the parent, which raises it
            connection.send(("error", traceback.format_exc(), None))
    connection.close()


class Pool:
    """``WORKERS`` forked layout processes; ``render(htmls)`` spreads documents over them."""

    def __init__(self, size=WORKERS):
        context = multiprocessing.get_context("fork")
        self.connections = []
        self.processes = []
        for _ in range(size):
            ours, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs,), daemon=True)
            process.start()
            theirs.close()
            self.connections.append(ours)
            self.processes.append(process)

    def render(self, htmls, progress=None):
        """``[(pages, pdf_bytes), …]`` for ``htmls``, in their order; ``progress(fraction)``
        after each."""
        results = [None] * len(htmls)
        pending = list(enumerate(htmls))
        busy = {}

        def give(connection):
            if pending:
                index, html = pending.pop(0)
                connection.send(html)
                busy[connection] = index

        for connection in self.connections:
            give(connection)
        while busy:
            for connection in wait(list(busy)):
                index = busy.pop(connection)
                try:
                    status, pages, pdf = connection.recv()
                except EOFError as exc:
                    raise RuntimeError("A PDF layout process ended unexpectedly.") from exc
                if status != "ok":
                    raise RuntimeError(f"PDF layout failed:\n{pages}")
                results[index] = (pages, pdf)
                if progress:
                    progress(sum(1 for result in results if result) / len(results))
                give(connection)
        return results

    def close(self):
        for connection in self.connections:
            try:
                connection.send(None)
            except (BrokenPipeError, OSError):
                pass
            connection.close()
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():  # pragma: no cover
                process.kill()


_started = None


def start():
    """Fork the workers now (before loading the data) for the next ``take()``."""
    global _started
    if _started is None and os.name == "posix":
        _started = Pool()


def take():
    """The workers ``start()`` forked, or new ones."""
    global _started
    pool, _started = _started, None
    return pool or Pool()
