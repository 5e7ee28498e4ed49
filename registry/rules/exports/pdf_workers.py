"""Worker processes that lay PDF documents out with WeasyPrint, one per core.

They are forked when an export starts (``start()``), before the data is loaded, so that
importing WeasyPrint and loading the CJK font overlap the database queries; a worker lays
out one document at a time and sends back its page count and PDF bytes. Being forked
children they end with ``os._exit`` — no interpreter tear-down of the layout's objects.
Figures in docs/performance.md.
"""

import ctypes.util
import gc
import io
import multiprocessing
import os
import traceback
from multiprocessing.connection import wait
from pathlib import Path

WORKERS = 2
LeanHTML = None  # WeasyPrint's HTML with a smaller user-agent stylesheet, once imported
# The first document with the CJK font loads it (~50 ms); done before the first real job.
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
        # Imported here, with probing off, in the layout worker only (the module docstring).
        import weasyprint  # noqa: F401
    except OSError:  # pragma: no cover - a system whose libraries need probing
        ctypes.util.find_library = find_library
        # Again with probing on: this system's libraries need it.
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = find_library


def _start_workers(connections):
    """The first worker: import WeasyPrint and pypdf and load the font once, then fork the
    others from itself, so they start warm without importing again (copy-on-write)."""
    import_weasyprint()
    # In the forked worker, once: the processes that fork it never load the layout libraries.
    import pypdf  # noqa: F401 - for "join" jobs
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    global LeanHTML
    lean = CSS(filename=str(Path(__file__).with_name("pdf_ua.css")))

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [lean]

    # Layout allocates a great many small objects and keeps them until the PDF is written;
    # the cyclic collector would walk them again and again for nothing (30 % of layout).
    # The boxes refer to their parents, so a written document is freed by one collection.
    gc.disable()
    # One font configuration for every document: the CJK font is loaded once, here.
    fonts = FontConfiguration()
    LeanHTML(string=WARM_UP).write_pdf(font_config=fonts)
    for connection in connections[1:]:
        if os.fork() == 0:
            _serve(connection, fonts)
            os._exit(0)
        connection.close()
    _serve(connections[0], fonts)


def _serve(connection, fonts):
    while True:
        try:
            job = connection.recv()
        except EOFError:
            break
        if job is None:
            break
        try:
            connection.send(("ok", *JOBS[job[0]](fonts, *job[1:])))
            gc.collect()
        except Exception:  # noqa: BLE001 - sent to the parent, which raises it
            connection.send(("error", traceback.format_exc(), None))
    connection.close()


def _layout(fonts, html):
    document = LeanHTML(string=html).render(font_config=fonts)
    return len(document.pages), document.write_pdf()


def _join(fonts, parts, stamps, title):
    """One PDF of the parts' pages, each with its stamp page drawn over it."""
    # In the forked worker only (loaded there by _start_workers), as above.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in parts:
        writer.append(PdfReader(io.BytesIO(pdf)))
    overlays = [page for pdf in stamps for page in PdfReader(io.BytesIO(pdf)).pages]
    for page, overlay in zip(writer.pages, overlays, strict=True):
        page.merge_page(overlay)
    writer.add_metadata({"/Title": title, "/Producer": "WeasyPrint, pypdf"})
    out = io.BytesIO()
    writer.write(out)
    return len(writer.pages), out.getvalue()


JOBS = {"layout": _layout, "join": _join}


class Pool:
    """``WORKERS`` forked layout processes; ``render(htmls)`` spreads documents over them,
    ``join()`` makes one PDF of the results."""

    def __init__(self, size=WORKERS):
        context = multiprocessing.get_context("fork")
        pipes = [context.Pipe() for _ in range(size)]
        self.connections = [ours for ours, _theirs in pipes]
        theirs = [their_end for _ours, their_end in pipes]
        self.process = context.Process(target=_start_workers, args=(theirs,), daemon=True)
        self.process.start()
        for connection in theirs:
            connection.close()

    def render(self, htmls, progress=None):
        """``[(pages, pdf_bytes), …]`` for ``htmls``, in their order; ``progress(fraction)``
        after each."""
        return self.run([("layout", html) for html in htmls], progress)

    def join(self, parts, stamps, title):
        """The parts joined and stamped (``[pdf_bytes]`` each) as one PDF's bytes."""
        return self.run([("join", parts, stamps, str(title))])[0][1]

    def run(self, jobs, progress=None):
        results = [None] * len(jobs)
        pending = list(enumerate(jobs))
        busy = {}

        def give(connection):
            if pending:
                index, job = pending.pop(0)
                connection.send(job)
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
        """Tell the workers to stop. They exit on their own; multiprocessing reaps the first
        at the next ``Process.start`` or at exit, so nobody waits for it here."""
        for connection in self.connections:
            try:
                connection.send(None)
            except (BrokenPipeError, OSError):
                pass
            connection.close()


_started = None


def start():
    """Fork the workers now (before loading the data) for the next ``take()``."""
    global _started
    if _started is None and os.name == "posix":
        _started = Pool()


def start_for_command(argv):
    """``manage.py export_system_table --format pdf …``: start the workers before Django
    itself loads — they need nothing of it — so WeasyPrint's import overlaps Django's."""
    if len(argv) > 1 and argv[1] == "export_system_table" and (
            "--format=pdf" in argv or any(a == "--format" and b == "pdf"
                                          for a, b in zip(argv, argv[1:], strict=False))):
        start()


def cancel():
    """Stop workers ``start()`` forked for an export that then failed before using them."""
    global _started
    pool, _started = _started, None
    if pool is not None:
        pool.close()


def take():
    """The workers ``start()`` forked, or new ones."""
    global _started
    pool, _started = _started, None
    return pool or Pool()
