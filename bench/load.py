"""Load test: signed-in users browsing the eight-page mix with wrk (issues 15 and 17).

The mix: the tree, the catalog, the projects, My tasks, the dashboard, a node page, the
terms and the audit log, asked in turn over ``--connections`` connections, each request
with the session cookie of one of four demo users (lead, office, expert, viewer: signed
in first through the sign-in page). Prints requests per second, p50/p95/p99 and errors
(any answer but 200, a redirect to the sign-in page included).

The database is the one the environment names (``DATABASE_URL``, production settings:
``DJANGO_SETTINGS_MODULE=registry.settings.production`` and what it requires); it must hold
the seeded system and the demo users (``seed_system``, ``create_demo_users``,
``create_demo_records``). ``--grow`` grows it first, once, to 2,060 nodes and 5,000
standards (``bench/grow.py``). Use a database of its own: docs/performance.md has the
exact commands.

``--serve`` starts gunicorn (``--workers``, default 4) on ``--url``'s port for the run and
stops it after; otherwise a server must be listening there. ``--pdf-exports N`` queues N
PDF exports of the system table just before wrk starts (as N administrators, so they are
N jobs) and, with ``--serve``, starts one Celery PDF worker (``-Q pdf --pool solo``, as in
``make run``) for them; the line after the figures says how many exports finished during
the run.

    python bench/load.py --serve --duration 60
    python bench/load.py --serve --duration 60 --pdf-exports 4

Without ``--think`` every connection asks again as soon as it has its answer: the server's
capacity, where latency is connections ÷ throughput. ``--think 3`` makes each connection a
user who reads a page for 1.5–4.5 s (3 s on average) before the next, as people browse.
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
USERS = {"lead": "lead-demo-2026", "office": "office-demo-2026",
         "expert": "expert-demo-2026", "viewer": "viewer-demo-2026"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        response = OPENER.open(request, timeout=30)
    except urllib.error.HTTPError as error:  # redirects land here
        response = error
    cookies = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return response.status, response.read().decode("utf-8", "replace"), cookies


def sign_in(base, username, password):
    """The session cookie of ``username``, signed in through the sign-in page."""
    status, page, cookies = fetch(f"{base}/accounts/login/")
    csrf = cookies["csrftoken"].value
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": token}).encode()
    status, _page, cookies = fetch(f"{base}/accounts/login/", body, {
        "Cookie": f"csrftoken={csrf}", "Referer": f"{base}/accounts/login/",
        "Content-Type": "application/x-www-form-urlencoded"})
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"Signing in as {username} failed ({status}).")
    return f"sessionid={cookies['sessionid'].value}"


def django_shell(code):
    """Run ``code`` in ``manage.py shell`` with this environment; returns its last line."""
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", "shell", "--no-imports", "-c", code], cwd=ROOT,
        capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


MIX_CODE = """
from registry.models import Node
leaf = Node.objects.filter(depth=4).order_by("path").first()
print(leaf.pk)
"""

GROW_CODE = """
import sys
sys.path.insert(0, "bench")
import grow
from django.contrib.auth import get_user_model
from django.db import connection
if not grow.grown():
    User = get_user_model()
    grow.grow_system({r: User.objects.get(username=r) for r in ("admin", "office", "lead")})
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print("grown")
"""

EXPORTS_CODE = """
from django.contrib.auth import get_user_model
from registry.actions.exports import StartExport
from registry.models import ExportJob
User = get_user_model()
ids = []
for n in range({count}):
    user, _new = User.objects.get_or_create(username=f"bench-export-{{n}}",
                                            defaults={{"is_superuser": True}})
    ids.append(StartExport(user, "pdf", "zh-hans").execute().pk)
print(" ".join(map(str, ids)))
"""

JOBS_CODE = """
from registry.models import ExportJob
jobs = ExportJob.objects.filter(pk__in=[{ids}])
print(jobs.filter(state=ExportJob.State.DONE).count(), jobs.count())
"""


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"Nothing answers at {url}.")


def start(command, log):
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                            start_new_session=True)


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8017")
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--serve", action="store_true", help="start and stop gunicorn")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--grow", action="store_true", help="grow the system first (once)")
    parser.add_argument("--pdf-exports", type=int, default=0)
    parser.add_argument("--think", type=float, default=0,
                        help="mean seconds a user reads a page before the next (0: none)")
    parser.add_argument("--log-dir", default="/tmp")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    base = args.url.rstrip("/")
    if args.grow:
        print(django_shell(GROW_CODE))
    server = worker = None
    logs = Path(args.log_dir)
    try:
        if args.serve:
            port = urllib.parse.urlsplit(base).port
            server = start([PYTHON, "-m", "gunicorn", "-c", "docs/deployment/gunicorn.conf.py",
                            "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers),
                            "--access-logfile", "/dev/null", "registry.wsgi"],
                           open(logs / "bench-load-gunicorn.log", "w"))  # noqa: SIM115
            wait_for(f"{base}/healthz")
        if args.pdf_exports and args.serve:
            worker = start([PYTHON, "-m", "celery", "-A", "registry", "worker", "-Q", "pdf",
                            "--pool", "solo", "-n", f"bench-pdf-{os.getpid()}@%h",
                            "--loglevel", "WARNING"],
                           open(logs / "bench-load-celery.log", "w"))  # noqa: SIM115
        leaf = django_shell(MIX_CODE)
        paths = ["/", "/standards/", "/lifecycle/projects/", "/lifecycle/tasks/",
                 "/lifecycle/dashboard/", f"/nodes/{leaf}/", "/terms/", "/audit/"]
        cookies = [sign_in(base, username, password) for username, password in USERS.items()]
        for path in paths:  # every page answers before the run
            status, _page, _cookies = fetch(base + path, headers={"Cookie": cookies[0]})
            if status != 200:
                raise SystemExit(f"{path} answered {status}.")
        jobs = ""
        if args.pdf_exports:
            jobs = django_shell(EXPORTS_CODE.format(count=args.pdf_exports)).replace(" ", ", ")
        env = {**os.environ, "WRK_PATHS": " ".join(paths), "WRK_COOKIES": " ".join(cookies),
               "WRK_THINK_MS": str(int(args.think * 1000))}
        run = subprocess.run(  # noqa: S603
            ["wrk", "-t", str(args.threads), "-c", str(args.connections),
             "-d", f"{args.duration}s", "--timeout", "10s", "-s", str(BENCH / "mix.lua"), base],
            env=env, capture_output=True, text=True, check=True)
        line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
        result = json.loads(line[len("RESULT "):])
        result.update(connections=args.connections, duration_s=args.duration,
                      workers=args.workers if args.serve else None,
                      pdf_exports=args.pdf_exports, think_s=args.think,
                      load_average=os.getloadavg())
        print(json.dumps(result))
        if jobs:
            done, total = django_shell(JOBS_CODE.format(ids=jobs)).split()
            print(f"PDF exports finished during the run: {done} of {total}")
    finally:
        stop(worker)
        stop(server)


if __name__ == "__main__":
    main()
