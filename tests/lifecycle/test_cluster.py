"""Several hosts: two gunicorn servers (A, B) and one Celery worker, each in its own network
namespace joined to this host by a veth pair, sharing PostgreSQL and Redis (reached through
forwarders on the host's end of each pair) and the file storage. Logged in on A, a PDF export
is built by the worker and downloaded from B; a document uploaded on B downloads from A; a
transition's e-mail is sent by the worker. Needs root, `ip`, `socat` and PostgreSQL."""

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from django.conf import settings
from django.db import connection

from lifecycle.actions.projects import TakeTransition
from lifecycle.choices import Stage
from lifecycle.models import Document
from registry.celery import app
from registry.models import ExportJob
from tests.lifecycle.conftest import PDF

pytestmark = [
    pytest.mark.slow,
    pytest.mark.cluster,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL"), reason="hosts share PostgreSQL"),
    pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("ip") or not shutil.which("socat"),
                       reason="network namespaces need root, ip and socat"),
]


def sh(*args):
    subprocess.run(args, check=True, capture_output=True)


class Cluster:
    """Namespaces ``<tag>-a``, ``-b``, ``-w`` at 10.<n>.<i>.2, the host at 10.<n>.<i>.1."""

    def __init__(self, tmp_path):
        self.tag = f"reg{uuid.uuid4().hex[:5]}"
        self.net = 200 + os.getpid() % 50
        self.tmp, self.processes, self.names = tmp_path, [], []

    def host(self, index):
        return f"10.{self.net}.{index}.1"

    def guest(self, index):
        return f"10.{self.net}.{index}.2"

    def add(self, index):
        ns, outer, inner = f"{self.tag}-{index}", f"{self.tag}o{index}", f"{self.tag}i{index}"
        sh("ip", "netns", "add", ns)
        self.names.append((ns, outer))
        sh("ip", "link", "add", outer, "type", "veth", "peer", "name", inner)
        sh("ip", "link", "set", inner, "netns", ns)
        sh("ip", "addr", "add", f"{self.host(index)}/24", "dev", outer)
        sh("ip", "link", "set", outer, "up")
        for command in (["ip", "addr", "add", f"{self.guest(index)}/24", "dev", inner],
                        ["ip", "link", "set", inner, "up"], ["ip", "link", "set", "lo", "up"]):
            sh("ip", "netns", "exec", ns, *command)
        # PostgreSQL and Redis listen on the host's loopback: forward from this pair's end.
        db = connection.settings_dict
        for port in (int(db["PORT"] or 5432), 6379):
            self.spawn(["socat", f"TCP-LISTEN:{port},bind={self.host(index)},fork,reuseaddr",
                        f"TCP:127.0.0.1:{port}"], f"socat-{index}-{port}")
        return ns

    def env(self, index):
        db = connection.settings_dict
        return {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.cluster_settings",
                "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@"
                                f"{self.host(index)}:{db['PORT'] or 5432}/{db['NAME']}",
                "CELERY_BROKER_URL": f"redis://{self.host(index)}:6379/0",
                "REGISTRY_CLUSTER_MAIL": str(self.tmp / "mail")}

    def spawn(self, command, name, env=None):
        log = (self.tmp / f"{name}.log").open("w")
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=log,  # noqa: S603
                                   stderr=log, start_new_session=True)
        self.processes.append(process)
        return process

    def server(self, index):
        ns = self.add(index)
        self.spawn(["ip", "netns", "exec", ns, sys.executable, "-m", "gunicorn",
                    "-c", "docs/deployment/gunicorn.conf.py", "--bind",
                    f"{self.guest(index)}:8000", "--workers", "2", "registry.wsgi"],
                   f"web-{index}", self.env(index))
        return f"http://{self.guest(index)}:8000"

    def worker(self, index):
        ns = self.add(index)
        self.spawn(["ip", "netns", "exec", ns, sys.executable, "-m", "celery", "-A", "registry",
                    "worker", "-Q", "celery,pdf", "--pool", "solo", "-n", f"{self.tag}@%h",
                    "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
                   f"worker-{index}", self.env(index))

    def logs(self):
        return "\n".join(f"--- {path.name}\n{path.read_text()[-3000:]}"
                         for path in sorted(self.tmp.glob("*.log")))

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        for ns, outer in self.names:
            subprocess.run(["ip", "link", "del", outer], capture_output=True)
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


class Browser:
    """A user agent with its own cookies, behind a load balancer that sends each request to
    either server: its cookies go to both (as they would under the one site name)."""

    def __init__(self, *servers):
        self.hosts = [urllib.parse.urlsplit(server).hostname for server in servers]
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _mirror(self, answered):
        """Copy the cookies the server that just answered set to the other server."""
        for cookie in [cookie for cookie in self.jar if cookie.domain == answered]:
            for host in self.hosts:
                if host != answered:
                    self.jar.set_cookie(http.cookiejar.Cookie(
                        cookie.version, cookie.name, cookie.value, None, False, host, False,
                        False, cookie.path, cookie.path_specified, cookie.secure,
                        cookie.expires, cookie.discard, None, None, {}))

    def open(self, request, timeout):
        with self.opener.open(request, timeout=timeout) as response:
            result = response.status, response.read(), response.geturl()
        self._mirror(urllib.parse.urlsplit(result[2]).hostname)
        return result

    def get(self, url):
        return self.open(url, 60)

    def csrf(self, url):
        _status, page, _url = self.get(url)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()

    def post(self, url, fields, files=None):
        fields = {"csrfmiddlewaretoken": self.csrf(url), **fields}
        if files:
            boundary = uuid.uuid4().hex
            body = b""
            for name, value in fields.items():
                body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n").encode()
            for name, (filename, content, kind) in files.items():
                body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n').encode()
                body += content + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            request = urllib.request.Request(url, body, {
                "Content-Type": f"multipart/form-data; boundary={boundary}"})
        else:
            request = urllib.request.Request(url, urllib.parse.urlencode(fields).encode())
        return self.open(request, 120)

    def login(self, server, username):
        status, _page, landed = self.post(f"{server}/accounts/login/",
                                          {"username": username, "password": "pw"})
        assert status == 200 and "/accounts/login/" not in landed, "login failed"


def wait_for(condition, timeout, what, cluster):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"Timed out waiting for {what}.\n{cluster.logs()}")


@pytest.fixture
def cluster(tmp_path):
    app.conf.task_always_eager = False
    hosts = Cluster(tmp_path)
    try:
        yield hosts
    finally:
        hosts.stop()
        app.conf.task_always_eager = True
        import redis

        client = redis.Redis.from_url(app.conf.broker_url)
        prefix = app.conf.broker_transport_options["global_keyprefix"]
        for key in client.scan_iter(match=f"{prefix}*"):  # this run's queues and bindings
            client.delete(key)


def test_two_servers_and_a_worker_on_their_own_hosts(cluster, make_project, users):
    a, b = cluster.server(1), cluster.server(2)
    cluster.worker(3)

    def up(server):
        try:
            return Browser().get(f"{server}/healthz")[0] == 200
        except OSError:
            return False

    wait_for(lambda: up(a) and up(b), 120, "both servers to answer /healthz", cluster)

    admin = Browser(a, b)
    admin.login(a, "admin")
    status, _page, landed = admin.post(f"{a}/export/", {"fmt": "pdf", "lang": "zh-hans"})
    job = ExportJob.objects.get()
    assert status == 200 and landed.endswith(job.get_absolute_url())
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).state in ("done", "failed"), 300,
             "the worker to build the PDF", cluster)
    job.refresh_from_db()
    assert job.state == "done", job.message
    status, pdf, _url = admin.get(f"{b}/export/{job.pk}/download/")  # the session is shared
    assert status == 200 and pdf.startswith(b"%PDF")

    project = make_project(stage=Stage.OFFICE_REVIEW)
    office = Browser(a, b)
    office.login(b, "office")
    status, _page, _url = office.post(
        f"{b}/lifecycle/projects/{project.pk}/documents/add/", {"kind": "draft"},
        files={"file": ("征求意见稿.pdf", PDF, "application/pdf")})
    document = Document.objects.get(project=project)
    status, content, _url = office.get(f"{a}/lifecycle/documents/{document.pk}/")
    assert status == 200 and content == PDF

    users["lead"].email = "lead@example.invalid"
    users["lead"].save()
    TakeTransition(users["office"], project, "pass_office_review", "审核通过").execute()
    mail = cluster.tmp / "mail"
    wait_for(lambda: mail.is_dir() and any(mail.iterdir()), 120, "the worker's e-mail", cluster)
    sent = "".join(path.read_text() for path in mail.iterdir())
    assert "lead@example.invalid" in sent
