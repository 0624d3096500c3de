"""Production smoke test: web, worker, beat, PostgreSQL and Redis working together as they
will in production (run by .ci/run after the test suite; about two minutes).

What it builds, as the image does (Dockerfile): the application directory is the build
context .dockerignore leaves (scripts/build_context.py) plus node_modules, in a virtualenv
installed from the hash-checked lock, the project with ``--no-deps``, static files collected;
all of it owned by root and read-only for the user the processes run as (a system user made
here, through ``setpriv``). The only writable places are the data directory
(STRATEGYHUB_DATA_DIR: media, beat's schedule) and /tmp.

What it runs: the commands of docker-compose.yml's migrate, web, worker and beat services and
their health checks, read from that file, with the production settings (DEBUG off, HTTPS
redirect, secure cookies, HSTS) and TLS in gunicorn with a self-signed certificate made now
with openssl; against a PostgreSQL database of its own and a Redis of its own on a spare port
(never the suite's 6379), email to an SMTP sink (aiosmtpd) in this process.

What it checks: sign in, check in (a real POST with CSRF), an alert email reaching the sink
(deactivating an owner raises "owner inactive" alerts through the worker), publish, read the
public page anonymously, beat's schedule reaching the worker; then Redis stopped: pages,
writes and /healthz/ready (200, degraded) as designed; Redis back: ready again.

``.venv/bin/python .ci/smoke.py`` (as root: it makes the system user). Prints each step;
exits non-zero with the processes' last log lines on the first failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # smoke_common, smoke_client
import build_context  # noqa: E402
from smoke_client import Client  # noqa: E402
from smoke_common import SmokeFailure, check, free_port, run, step, wait_for  # noqa: E402

USER = "strategyhub-smoke"
PYTHON = os.environ.get("SMOKE_PYTHON", "/usr/bin/python3.11")  # not under /root: the user runs it
ORG = "riverton"
ADMIN, PASSWORD = "admin@riverton.example", "strategyhub-demo"
OWNER = "editor@riverton.example"  # owns key results (the demo's editor and contributor do)


# --- The compose file's commands ------------------------------------------------------------


def compose_services() -> dict[str, dict[str, object]]:
    """Each service's ``command`` and health check ``test`` from docker-compose.yml (the file's
    own layout: two-space service names, flow-sequence health checks)."""
    text = (ROOT / "docker-compose.yml").read_text()
    body = text.split("\nservices:\n", 1)[1].split("\nvolumes:\n", 1)[0]
    services = {}
    for block in re.split(r"\n(?=  [a-z][a-z0-9_-]*:\n)", "\n" + body):
        header = re.match(r"\n?  ([a-z][a-z0-9_-]*):\n", block)
        if not header:
            continue
        command = re.search(r"^    command: (.+)$", block, flags=re.MULTILINE)
        test = re.search(r"^      test: (\[.+\])$", block, flags=re.MULTILINE)
        services[header.group(1)] = {
            "command": command.group(1).strip() if command else None,
            "test": json.loads(test.group(1)) if test else None,
        }
    return services


# --- Processes as the unprivileged user -----------------------------------------------------


class Stack:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.app = work / "app"
        self.venv = work / "venv"
        self.data = work / "data"
        self.tls = work / "tls"
        self.logs = work / "logs"
        self.processes: dict[str, subprocess.Popen] = {}
        self.env: dict[str, str] = {}
        self.services = compose_services()
        self.uid = self.gid = -1

    def as_user(self, command: list[str]) -> list[str]:
        return [
            "setpriv",
            f"--reuid={self.uid}",
            f"--regid={self.gid}",
            "--clear-groups",
            "--",
            *command,
        ]

    def compose_command(self, service: str) -> list[str]:
        command = str(self.services[service]["command"])
        return shlex.split(command.replace("/data/", f"{self.data}/"))

    def healthcheck(self, service: str) -> list[str]:
        test = list(self.services[service]["test"])  # type: ignore[arg-type]
        kind, arguments = test[0], [a.replace("/data/", f"{self.data}/") for a in test[1:]]
        if kind == "CMD-SHELL":
            return ["/bin/sh", "-c", arguments[0].replace("$$", "$")]
        return arguments

    def healthy(self, service: str) -> bool:
        result = subprocess.run(
            self.as_user(self.healthcheck(service)),
            cwd=self.app,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.returncode == 0

    def manage(self, *arguments: str, check_ok: bool = True) -> subprocess.CompletedProcess:
        command = self.as_user(["python", "manage.py", *arguments])
        if check_ok:
            return run(command, cwd=self.app, env=self.env)
        return subprocess.run(
            command, cwd=self.app, env=self.env, capture_output=True, text=True, timeout=600
        )

    def start(self, name: str, command: list[str], as_user: bool = True) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(
            self.as_user(command) if as_user else command,
            cwd=self.app,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


# --- Building the application directory as the image does ----------------------------------


def ensure_user() -> tuple[int, int]:
    try:
        entry = pwd.getpwnam(USER)
    except KeyError:
        run(
            [
                "useradd",
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                USER,
            ]
        )
        entry = pwd.getpwnam(USER)
    check(entry.pw_uid != 0, f"{USER} must not be root")
    return entry.pw_uid, entry.pw_gid


def build(stack: Stack) -> None:
    step("application directory: the .dockerignore build context, as the image's COPY . .")
    count = build_context.copy_context(ROOT, stack.app)
    check((ROOT / "node_modules").is_dir(), "node_modules is missing: run `make install-dev`")
    shutil.copytree(ROOT / "node_modules", stack.app / "node_modules", symlinks=True)
    for leaked in (".env", ".venv", "data", ".git", "node_modules/.cache"):
        check(leaked == "node_modules/.cache" or not (stack.app / leaked).exists(), leaked)
    # collectstatic (compressed, with a manifest, as in the image) needs only the packages,
    # so it runs with the checkout's virtualenv while the runtime one is installed.
    collect = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=stack.app,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SECRET_KEY": "collectstatic-only",
            "STRATEGYHUB_DATA_DIR": str(stack.work / "build-data"),
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    step(
        f"  {count} files; virtualenv from requirements/lock.txt (hash-checked), project --no-deps"
    )
    check(Path(PYTHON).exists(), f"{PYTHON} is needed (Debian: python3.11, python3.11-venv)")
    run([PYTHON, "-m", "venv", "--without-pip", str(stack.venv)])
    # uv's pip interface (the dev extra's pin): the same hash-checked install as the image's
    # pip, in seconds rather than a minute (`make install-dev` has just proved pip's).
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or "uv"
    pip = [uv, "pip", "install", "--quiet", "--python", str(stack.venv / "bin" / "python")]
    run([*pip, "--require-hashes", "-r", str(stack.app / "requirements" / "lock.txt")])
    run([*pip, "--no-deps", "--no-build-isolation", "-e", str(stack.app)])
    output, _ = collect.communicate(timeout=600)
    check(collect.returncode == 0, f"collectstatic failed:\n{output[-3000:]}")
    check((stack.app / "staticfiles" / "staticfiles.json").exists(), "no static files manifest")
    shutil.rmtree(stack.work / "build-data", ignore_errors=True)
    # Root owns everything; nobody else may write (the image's /app and /opt/venv).
    run(["chown", "-R", "root:root", str(stack.app), str(stack.venv)])
    run(["chmod", "-R", "u+rwX,go+rX,go-w", str(stack.work)])
    stack.data.mkdir(mode=0o700)
    os.chown(stack.data, stack.uid, stack.gid)
    stack.logs.mkdir()


def make_certificate(stack: Stack) -> None:
    step("TLS: a self-signed certificate for localhost (openssl)")
    stack.tls.mkdir()
    run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(stack.tls / "key.pem"),
            "-out",
            str(stack.tls / "cert.pem"),
        ]
    )
    # The key is readable by the app's group only, and writable by nobody but root.
    os.chown(stack.tls / "key.pem", 0, stack.gid)
    os.chmod(stack.tls / "key.pem", 0o640)


def app_snapshot(app: Path) -> dict[str, float]:
    return {
        str(path.relative_to(app)): path.lstat().st_mtime
        for path in app.rglob("*")
        if "node_modules" not in path.parts
    }


# --- Services of its own: PostgreSQL database, Redis, SMTP sink -----------------------------


class SmtpSink:
    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list = []
        self.lock = threading.Lock()
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with sink.lock:
                    sink.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()


def start_redis(stack: Stack, port: int) -> None:
    binary = shutil.which("redis-server")
    check(binary, "redis-server is needed (Debian: redis-server)")
    stack.start(
        "redis",
        [
            str(binary),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory-policy",
            "noeviction",
        ],
        as_user=False,
    )

    def answers() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    wait_for(f"redis-server on port {port}", answers, 10, 0.05)


# --- The checks -----------------------------------------------------------------------------


def sign_in(client: Client, email: str) -> None:
    path, status, body = client.follow(f"/o/{ORG}/")
    check(status == 200 and "password" in body, f"/o/{ORG}/ did not lead to a sign-in page")
    form = next(f for f in client.forms(body) if "password" in f["fields"])
    login_field = next(n for n in ("login", "username", "email") if n in form["fields"])
    status, _, _ = client.submit(
        path,
        body,
        re.compile(re.escape(form["action"]) + "$"),
        {login_field: email, "password": PASSWORD},
    )
    check(status == 302, f"sign-in answered {status}")
    cookies = {cookie.name: cookie for cookie in client.jar}
    check("sessionid" in cookies, "no session cookie after signing in")
    check(cookies["sessionid"].secure, "the session cookie is not Secure")
    status, _, body = client.get(f"/o/{ORG}/")
    check(status == 200, f"the agency dashboard answered {status} after signing in")


def check_in(client: Client, note: str) -> None:
    """A check-in on the first of the signed-in owner's key results that takes a number."""
    page = f"/o/{ORG}/okrs/check-ins/"
    status, _, body = client.get(page)
    check(status == 200, f"the check-ins page answered {status}")
    action = re.compile(rf"/o/{ORG}/okrs/key-results/(\d+)/check-in/$")

    def field(form: dict, name: str) -> str | None:  # the form's fields may carry a prefix
        return next((n for n in form["fields"] if n == name or n.endswith("-" + name)), None)

    forms = [f for f in client.forms(body) if action.search(f["action"]) and field(f, "value")]
    check(forms, "no key result with a numeric check-in form on the owner's check-ins page")
    for form in forms:
        kr = action.search(form["action"]).group(1)
        exact = re.compile(re.escape(form["action"]) + "$")
        names = {name: field(form, name) or name for name in ("value", "confidence", "moved")}
        for value in dict.fromkeys([form["fields"].get(names["value"]) or "", "1", "50"]):
            if not value:
                continue
            changes = {names["value"]: value, names["confidence"]: "7", names["moved"]: note}
            status, _, answer = client.submit(page, body, exact, changes)
            check(status in (200, 302), f"the check-in POST answered {status}: {answer[:500]}")
            status, _, kr_page = client.get(f"/o/{ORG}/okrs/key-results/{kr}/")
            if status == 200 and note in kr_page:
                return
            # Refused (e.g. a value out of the result's bounds): the page is the same form.
            status, _, body = client.get(page)
    raise SmokeFailure("no check-in was recorded (each was refused, or does not show)")


def alert_email(client: Client, sink: SmtpSink) -> None:
    page = f"/o/{ORG}/members/"
    status, _, body = client.get(page)
    check(status == 200, f"the members page answered {status}")
    row = re.search(
        r'<tr id="member-(\d+)">(?:(?!</tr>).)*contributor@riverton\.example', body, re.S
    )
    check(row, "no contributor row on the members page")
    action = re.compile(rf"/members/{row.group(1)}/active/$")
    status, _, _ = client.submit(page, body, action, {"active": "0"})
    check(status in (200, 302), f"deactivating the contributor answered {status}")

    def arrived():
        with sink.lock:
            return [m for to, m in sink.messages if ADMIN in to]

    messages = wait_for("the owner-inactive alert email at the SMTP sink", arrived, 90)
    subject = messages[0]["Subject"]
    step(f"  email to {ADMIN}: {subject!r}")
    check(
        "no-reply@smoke.test" in messages[0]["From"], "the alert's sender is not DEFAULT_FROM_EMAIL"
    )


def publish(client: Client, base: str, cafile: Path) -> None:
    page = f"/o/{ORG}/publish/"
    status, _, body = client.get(page)
    check(status == 200, f"the publishing page answered {status}")
    status, _, answer = client.submit(page, body, re.compile(r"/publish/publish/$"), {})
    check(status in (200, 302), f"publishing answered {status}: {answer[:500]}")
    public_page(base, cafile)


def public_page(base: str, cafile: Path) -> None:
    resident = Client(base, cafile)
    status, _, body = resident.get(f"/p/{ORG}/")
    check(status == 200, f"the public page answered {status}")
    check("Riverton" in body, "the public page does not name the agency")


def readiness(client: Client) -> dict:
    status, _, body = client.get("/healthz/ready", headers={"Host": "127.0.0.1"})
    check(status == 200, f"/healthz/ready answered {status}: {body[:300]}")
    return json.loads(body)


def main() -> int:
    check(os.geteuid() == 0, "run as root: the smoke test makes an unprivileged system user")
    for tool in ("setpriv", "openssl", "psql", "createdb", "dropdb"):
        check(shutil.which(tool), f"{tool} is needed")
    work = Path(tempfile.mkdtemp(prefix="strategyhub-smoke-"))
    os.chmod(work, 0o755)
    stack = Stack(work)
    sink = None
    server = urllib.parse.urlsplit(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/strategyhub")
    )
    pg = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432)]
    pg += ["-U", server.username or "postgres"]
    database = f"strategyhub_smoke_{os.getpid()}"
    created = False
    ok = False
    try:
        stack.uid, stack.gid = ensure_user()
        build(stack)
        make_certificate(stack)
        run(["createdb", *pg, database])
        created = True
        sink = SmtpSink()
        redis_port, web_port = free_port(), free_port()
        start_redis(stack, redis_port)
        base = f"https://localhost:{web_port}"
        auth = server.username or "postgres"
        if server.password:
            auth += ":" + server.password
        stack.env = {
            "PATH": f"{stack.venv}/bin:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(stack.data),
            "LANG": "C.UTF-8",
            "HOSTNAME": socket.gethostname(),
            "PYTHONDONTWRITEBYTECODE": "1",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "strategyhub.config.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "localhost",
            "CSRF_TRUSTED_ORIGINS": base,
            "SITE_URL": base,
            "DATABASE_URL": f"postgres://{auth}@{pg[1]}:{pg[3]}/{database}",
            "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "EMAIL_USE_TLS": "0",
            "DEFAULT_FROM_EMAIL": "StrategyHub <no-reply@smoke.test>",
            "STRATEGYHUB_DATA_DIR": str(stack.data),
            "MEDIA_ROOT": str(stack.data / "media"),
            "GUNICORN_BIND": f"127.0.0.1:{web_port}",
            "GUNICORN_CERTFILE": str(stack.tls / "cert.pem"),
            "GUNICORN_KEYFILE": str(stack.tls / "key.pem"),
            "WEB_CONCURRENCY": "2",
            "LOG_FORMAT": "json",
        }
        probe = stack.as_user(["python", "-c", f"open({str(stack.app / 'x')!r}, 'w')"])
        check(
            subprocess.run(probe, env=stack.env, capture_output=True).returncode != 0,
            "the application directory is writable by the app's user",
        )
        before = app_snapshot(stack.app)

        step("release job (compose `migrate`), then the demo agency")
        stack.manage(*stack.compose_command("migrate")[2:])
        refused = stack.manage("seed_demo", check_ok=False)
        check(refused.returncode != 0, "seed_demo ran with DEBUG off and no flag")
        check("--allow-known-passwords" in refused.stderr, "seed_demo's refusal does not say why")
        stack.manage("seed_demo", "--allow-known-passwords")

        step("web, worker and beat: compose's commands, as the unprivileged user")
        for service in ("web", "worker", "beat"):
            stack.start(service, stack.compose_command(service))
        beat_started = time.monotonic()
        for service in ("web", "worker", "beat"):

            def up(s: str = service) -> bool:
                check(stack.processes[s].poll() is None, f"{s} exited")
                return stack.healthy(s)

            wait_for(f"{service}'s compose health check", up, 90, 1)
            check(stack.processes[service].poll() is None, f"{service} exited")
            status = Path(f"/proc/{stack.processes[service].pid}/status").read_text()
            uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))
            check(uid == stack.uid, f"{service} runs as uid {uid}, not {USER}")
            step(f"  {service}: healthy, uid {uid} ({USER})")

        client = Client(base, stack.tls / "cert.pem")
        status, headers, _ = client.get("/healthz/live", headers={"Host": "10.0.3.7"})
        check(status == 200, f"/healthz/live by IP answered {status}")
        check(readiness(client)["status"] == "ok", "/healthz/ready is not ok with every service up")
        status, headers, _ = client.get("/accounts/login/")
        check("max-age=31536000" in headers.get("Strict-Transport-Security", ""), "no HSTS")

        step("sign in (CSRF), check in, alert email, publish, public page")
        owner = Client(base, stack.tls / "cert.pem")
        sign_in(owner, OWNER)
        check_in(owner, f"Smoke test check-in {secrets.token_hex(4)}")
        sign_in(client, ADMIN)
        alert_email(client, sink)
        publish(client, base, stack.tls / "cert.pem")

        step("beat's schedule reaches the worker (replay-cache-invalidations, every minute)")
        wait_for(
            "the worker to run a task beat sent",
            lambda: re.search(
                r"replay_cache_invalidations\[[0-9a-f-]+\] succeeded", stack.log("worker")
            ),
            max(10, 100 - (time.monotonic() - beat_started)),
            2,
        )

        step("Redis stopped: pages, writes and readiness as designed")
        stack.stop("redis")
        body = readiness(client)
        check(body["status"] == "degraded", f"/healthz/ready without Redis: {body}")
        check(not body["checks"]["cache"]["ok"] and not body["checks"]["broker"]["ok"], body)
        check(body["checks"]["database"]["ok"], body)
        check(stack.healthy("web"), "web's health check fails without Redis")
        status, _, _ = client.get(f"/o/{ORG}/")
        check(status == 200, f"the dashboard answered {status} without Redis")
        check_in(owner, f"Smoke test check-in without Redis {secrets.token_hex(4)}")
        public_page(base, stack.tls / "cert.pem")
        check(not stack.healthy("worker"), "the worker's ping passes without its broker")

        step("Redis back: ready again, the worker reconnects")
        start_redis(stack, redis_port)
        wait_for("/healthz/ready to be ok", lambda: readiness(client)["status"] == "ok", 20)
        wait_for("the worker's ping", lambda: stack.healthy("worker"), 90, 2)

        for service in ("web", "worker", "beat"):
            check(stack.processes[service].poll() is None, f"{service} exited")
        after = app_snapshot(stack.app)
        changed = sorted(p for p in after if before.get(p) != after[p])
        check(not changed, f"the processes wrote into the application directory: {changed[:10]}")
        written = sorted(p.name for p in stack.data.iterdir())
        step(f"  nothing written to the application directory; data directory: {written}")
        ok = True
        step("smoke test passed")
        return 0
    except Exception as failure:
        print(f"\nSMOKE TEST FAILED: {failure!r}\n", file=sys.stderr)
        for name in ("web", "worker", "beat", "redis"):
            print(f"--- {name} (last lines)\n{stack.log(name)[-3000:]}", file=sys.stderr)
        return 1
    finally:
        for name in list(stack.processes):
            stack.stop(name)
        if sink is not None:
            sink.stop()
        if created:
            subprocess.run(["dropdb", *pg, "--if-exists", database], capture_output=True)
        if ok or os.environ.get("CI"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(kept {work} for a look)", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
