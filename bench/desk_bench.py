"""Benchmark of the one-stop desk over HTTP on PostgreSQL: intake and transitions under concurrency.

    .venv/bin/python bench/desk_bench.py [--seconds 60] [--clients 200] [--units 100]
                                         [--workers 3] [--threads 4] [--db motcua_bench]

What it does, in order (everything on 127.0.0.1; it stops by itself and kills its server):

1. Drops and creates the PostgreSQL database `--db` (DATABASE_URL built from --pg), migrates, and
   loads a small demo (`motcua demo --months 1 --per-month 200`: Bắc Ninh's units, officers,
   catalogue, a month of history), then `motcua pki init --if-missing` (the local test CA, its
   TSA and every unit's signing certificate, as `make run` does — in a temporary key directory),
   so that no unit creates its key pair inside a timed request.
2. Starts gunicorn on a free port of 127.0.0.1 serving `motcua.wsgi` with MOTCUA_DEBUG=0,
   `--worker-class gthread --workers 3 --threads 4` by default (see `server_command`).
3. Logs in (POST /dang-nhap/, as a browser does) the reception (`.tiepnhan`) and processing
   (`.xuly`) officer and the head (`.lanhdao`) of `--units` units — departments and communes
   alternately, so the load is spread over many units and their dossier-code counters. A login
   hashes a password (PBKDF2, 1 000 000 rounds, ~0.2 s of CPU): it is done once per officer
   before the timed phases and its time is printed apart. Clients of one unit share that unit's
   three sessions (one cookie pair per officer, as several browser tabs would).
4. Phase "no-op": `--clients` asyncio clients (aiohttp) loop on GET /api/v1/procedures/{code}
   (the unit's procedure, with the officer's session cookie: the same middleware, session and
   user lookups as a write, one cheap read of the catalogue) for `--seconds`.
5. Phase "desk": the same clients loop for `--seconds`: receive a dossier at the desk
   (POST /api/v1/dossiers, multipart, a small PDF — different bytes each time — for every
   component of the unit's procedure with the fewest components), then start_processing (assigned
   to the unit's processing officer) and complete as the processing officer, sign_result as the
   head when the procedure's result is a document (`result_is_document`; skipped otherwise), and
   return_result as the reception officer, each POST /api/v1/dossiers/{code}/actions/{action}
   carrying the `version` the previous answer gave. Each 200/201 counts as one transition (the
   signature is an event of its own, the status staying 'processed'); the client records it for
   the dossier. Any other answer is an error and the client starts a new dossier.
   For a document result, complete renders the result draft PDF from the procedure's template
   (WeasyPrint) and sign_result appends the verification page and signs it PAdES B-T with the
   unit's key, timestamped by the local TSA (pyHanko): these two PDFs are the main CPU cost of a
   document result, far above any other request of the walk.
6. Checks: `motcua verify-events` on that database (hash chains), then for every dossier the
   clients touched: version == number of events == transitions the clients recorded, the
   events' seq are exactly 1..n, and no dossier the clients never saw was created. A dossier
   walked to 'returned' has 5 events with a document result (receive, start_processing,
   complete, sign_result, return_result), 4 without. A request the client gave up on (no answer
   within 30 s: it counts as an error) may still have been done by the server: that dossier may
   have exactly one event more than recorded, and that receipt may have created a dossier no
   client saw; both are counted and printed.
7. Prints the table: requests/s (transitions/s for the desk), p50/p99/max latency, errors, per
   request kind too, and the CPU seconds spent by gunicorn, PostgreSQL and this load generator
   during each phase (all on the same 2 cores), and the CPU that went to other work on the
   machine ('other'). PostgreSQL backends that end during a phase (Django reconnects after
   CONN_MAX_AGE = 60 s) are not counted, so the PostgreSQL figure of a 60 s phase is a lower bound.
   Exit status 0 only when the target is met and the event checks pass.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
MOTCUA = str(VENV_BIN / "motcua")
GUNICORN = str(VENV_BIN / "gunicorn")
PASSWORD = "motcua2026"  # motcua.demo.organisation.DEMO_PASSWORD
PID = "024090001234"  # a valid personal identification number of Bắc Ninh (province code 024)
PDF = b"%PDF-1.4\n% desk benchmark scan\n" + b"0" * 2000 + b"\n%%EOF\n"
API = "/api/v1"
ROLES = ("tiepnhan", "xuly", "lanhdao")  # reception, processing, head (motcua.demo.organisation.ROLE_SUFFIX)
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {message}", flush=True)


# ------------------------------------------------------------------------------------------------
# Database and server
# ------------------------------------------------------------------------------------------------


def prepare_database(args, env: dict) -> None:
    admin = args.pg.rsplit("/", 1)[0] + "/postgres"
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db}"')
    t0 = time.perf_counter()
    subprocess.run([MOTCUA, "migrate", "-v0"], env=env, check=True)
    t1 = time.perf_counter()
    done = subprocess.run([MOTCUA, "demo", "--months", "1", "--per-month", str(args.per_month)], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"motcua demo failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    out = done.stdout
    summary = next((line for line in out.splitlines() if line.startswith("Đã nạp")), out.strip()[:200])
    t2 = time.perf_counter()
    log(f"database {args.db}: migrated in {t1 - t0:.1f} s; demo loaded in {t2 - t1:.1f} s — {summary}")
    done = subprocess.run([MOTCUA, "pki", "init", "--if-missing"], env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"motcua pki init failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    log(f"signing certificates (motcua pki init) in {time.perf_counter() - t2:.1f} s — "
        f"{' '.join(done.stdout.split())[-160:]}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(args, port: int) -> list[str]:
    """gunicorn, gthread workers: one process per core (+1, so that a worker waiting on PostgreSQL
    or on the GIL hand-over does not leave a core idle) and a few threads each — while one thread
    waits for PostgreSQL (the GIL is released in psycopg) another runs Python. gthread keeps the
    clients' connections alive (sync workers close each one). Python code is GIL-bound, so more
    threads than ~4 only add contention; more processes than cores+1 only add memory and
    context switches, and PostgreSQL and the load generator need the same two cores."""
    return [GUNICORN, "motcua.wsgi:application", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
            "--backlog", "2048", "--keep-alive", "75", "--timeout", "60", "--graceful-timeout", "5",
            "--worker-connections", "1000", "--log-level", "warning"]


def start_server(args, env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(server_command(args, port), env=env, cwd=str(ROOT), start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("gunicorn did not start listening within 30 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: the master and its workers only
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


# ------------------------------------------------------------------------------------------------
# CPU accounting (from /proc): gunicorn's process group, PostgreSQL's backends, this process
# ------------------------------------------------------------------------------------------------


def _proc_ticks() -> dict[int, tuple[int, int, str]]:
    """pid → (pgid, utime+stime ticks, comm) of every process we can read."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2:].split()
        out[int(entry)] = (int(fields[2]), int(fields[11]) + int(fields[12]), comm)
    return out


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def cpu_snapshot(server_pgid: int, db: str) -> dict:
    """CPU ticks per process of the server (its process group) and of PostgreSQL's backends serving
    the benchmark's database (`postgres: user db host(port) …`), this process, and the machine."""
    ticks = _proc_ticks()
    server = {pid: t for pid, (pgid, t, _c) in ticks.items() if pgid == server_pgid}
    postgres = {pid: t for pid, (_p, t, comm) in ticks.items()
                if comm.startswith("postgres") and f" {db} " in _cmdline(pid) + " "}
    me = os.times()
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    return {"server": server, "postgres": postgres, "client": me.user + me.system,
            "idle": (cpu[3] + cpu[4]) / CLK_TCK, "total": sum(cpu[:8]) / CLK_TCK}


def cpu_delta(a: dict, b: dict) -> dict:
    """Seconds of CPU between two snapshots; a process is counted from its first sight (a process
    that ended in between is lost — gunicorn's workers and their connections live through a phase)."""
    out = {k: b[k] - a[k] for k in ("client", "idle", "total")}
    for k in ("server", "postgres"):
        out[k] = sum(t - a[k].get(pid, 0) for pid, t in b[k].items()) / CLK_TCK
    return out


def background_load(seconds: float = 3.0) -> str:
    """How busy the machine is without this benchmark (cores in use), and by what: other work on the
    same two cores takes CPU from the server and shows in the 'other' column of the results."""
    def total():
        with open("/proc/stat") as f:
            cpu = [int(x) for x in f.readline().split()[1:]]
        return sum(cpu[:8]), cpu[3] + cpu[4]

    a, (ta, ia) = _proc_ticks(), total()
    time.sleep(seconds)
    b, (tb, ib) = _proc_ticks(), total()
    busy = ((tb - ta) - (ib - ia)) / CLK_TCK / seconds
    top = sorted(((b[pid][1] - a[pid][1], pid) for pid in b if pid in a and pid != os.getpid()), reverse=True)[:3]
    names = []
    for ticks, pid in top:
        if ticks / CLK_TCK / seconds < 0.05:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:70]
        except OSError:
            cmd = b[pid][2]
        names.append(f"{ticks / CLK_TCK / seconds:.2f} {cmd}")
    return f"{busy:.2f} of {os.cpu_count()} cores busy" + (f" — {'; '.join(names)}" if names else "")


# ------------------------------------------------------------------------------------------------
# The desk's world: units, their officers and procedures (read with the ORM, off the clock)
# ------------------------------------------------------------------------------------------------


@dataclass
class Desk:
    unit_code: str
    prefix: str
    procedure_code: str
    component_ids: list[int]
    processing_id: int
    result_is_document: bool  # the head signs the result PDF before it is returned
    sessions: dict = field(default_factory=dict)  # role suffix → cookie header + csrf token


def pick_desks(n_units: int) -> list[Desk]:
    import django

    django.setup()
    from django.db.models import Count

    from motcua.catalogue.models import Procedure
    from motcua.demo.organisation import login_prefix
    from motcua.dossiers.forms import procedures_of
    from motcua.units.models import Officer, Unit, UnitKind

    def desk(unit) -> Desk | None:
        procedure = (procedures_of(unit).annotate(n=Count("components")).filter(n__gt=0)
                     .order_by("n", "code").first())
        prefix = login_prefix(unit)
        processing = Officer.objects.filter(username=f"{prefix}.xuly").first()
        if procedure is None or processing is None or not Officer.objects.filter(
                username__in=[f"{prefix}.{s}" for s in ROLES], is_active=True).count() == len(ROLES):
            return None
        ids = list(procedure.components.order_by("order").values_list("pk", flat=True))
        return Desk(unit.code, prefix, procedure.code, ids, processing.pk, procedure.result_is_document)

    departments = [d for d in map(desk, Unit.objects.filter(kind=UnitKind.DEPARTMENT).order_by("code")) if d]
    communes = Unit.objects.filter(kind=UnitKind.COMMUNE).order_by("code")
    picked: list[Desk] = []
    # Departments and communes alternately (communes share the commune-level procedures).
    commune_iter = iter(communes)
    for i in range(n_units):
        if i % 2 == 0 and departments:
            picked.append(departments.pop(0))
            continue
        for unit in commune_iter:
            d = desk(unit)
            if d:
                picked.append(d)
                break
        else:
            if departments:
                picked.append(departments.pop(0))
    if not picked:
        raise SystemExit("no unit with a procedure and officers in the demo data")
    return picked


# ------------------------------------------------------------------------------------------------
# HTTP clients
# ------------------------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    ok: bool
    status: int
    seconds: float


@dataclass
class Ledger:
    """What the desk clients did, for the checks: per dossier the transitions answered 200/201
    (`recorded`) and those of a full walk (`walk_length`); the requests the client gave up on
    (CLIENT_TIMEOUT) whose outcome it cannot know."""
    recorded: dict = field(default_factory=lambda: defaultdict(int))
    seen: set = field(default_factory=set)
    walk_length: dict = field(default_factory=dict)
    in_doubt: dict = field(default_factory=dict)  # dossier code → its action left unanswered
    unanswered_receipts: int = 0


@dataclass
class Phase:
    name: str
    samples: list[Sample] = field(default_factory=list)
    elapsed: float = 0.0
    cpu: dict = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)


def cookie_value(response, name: str) -> str | None:
    for header in response.headers.getall("Set-Cookie", []):
        m = re.match(rf"\s*{name}=([^;]*)", header)
        if m:
            return m.group(1)
    return None


async def login(http, base: str, username: str) -> dict:
    async with http.get(f"{base}/dang-nhap/") as r:
        page = await r.text()
        csrf = cookie_value(r, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    async with http.post(f"{base}/dang-nhap/", data={"username": username, "password": PASSWORD,
                                                      "csrfmiddlewaretoken": token},
                         headers={"Cookie": f"csrftoken={csrf}", "Referer": f"{base}/dang-nhap/"},
                         allow_redirects=False) as r:
        await r.read()
        session, csrf2 = cookie_value(r, "sessionid"), cookie_value(r, "csrftoken") or csrf
        if r.status != 302 or not session:
            raise SystemExit(f"login of {username} failed: HTTP {r.status}")
    return {"Cookie": f"sessionid={session}; csrftoken={csrf2}", "X-CSRFToken": csrf2}


async def login_all(base: str, desks: list[Desk], concurrency: int) -> float:
    import aiohttp

    t0 = time.perf_counter()
    gate = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        async def one(desk: Desk, suffix: str):
            async with gate:
                desk.sessions[suffix] = await login(http, base, f"{desk.prefix}.{suffix}")

        await asyncio.gather(*(one(d, s) for d in desks for s in ROLES))
    return time.perf_counter() - t0


UNANSWERED = object()  # what `timed` answers when no HTTP answer came (timeout, connection error)
CLIENT_TIMEOUT = 30  # seconds a client waits for an answer (gunicorn's --timeout is 60)


async def timed(phase: Phase, kind: str, request, ok_status: int):
    """Run one request; record its latency; the JSON body when the status is `ok_status`, None on
    another status, UNANSWERED on a transport error (the server may still have done the work)."""
    t0 = time.perf_counter()
    try:
        async with request as r:
            body = await r.read()
            status = r.status
    except Exception as exc:  # noqa: BLE001 — a transport error is an error of the run, counted
        phase.samples.append(Sample(kind, False, 0, time.perf_counter() - t0))
        phase.errors[f"{kind}: {type(exc).__name__}"] += 1
        return UNANSWERED
    seconds = time.perf_counter() - t0
    ok = status == ok_status
    phase.samples.append(Sample(kind, ok, status, seconds))
    if not ok:
        code = re.search(rb'"code":\s*"([^"]+)"', body)
        phase.errors[f"{kind}: HTTP {status} {code.group(1).decode() if code else ''}".strip()] += 1
        return None
    import json

    return json.loads(body)


class Pacer:
    """With --rate R, each of the N clients starts a request every N/R s (the offered load is R
    requests/s in all; a client that falls behind does not catch up). Without: no waiting
    (a closed loop: each client sends its next request as soon as the last one is answered)."""

    def __init__(self, interval: float):
        self.interval, self.next = interval, None

    async def wait(self):
        if not self.interval:
            return
        now = time.perf_counter()
        if self.next is None:
            self.next = now + random.uniform(0, self.interval)
        if self.next > now:
            await asyncio.sleep(self.next - now)
        self.next = max(self.next, time.perf_counter() - self.interval) + self.interval


async def noop_client(http, base, desk: Desk, phase: Phase, stop_at: float, pacer: Pacer):
    headers = {"Cookie": desk.sessions["xuly"]["Cookie"]}
    url = f"{base}{API}/procedures/{desk.procedure_code}"
    while time.perf_counter() < stop_at:
        await pacer.wait()
        await timed(phase, "GET procedure", http.get(url, headers=headers), 200)


def walk(desk: Desk) -> list[tuple[str, str, dict]]:
    """(officer, action, body fields besides `version`) after the receipt: a document result is
    signed by the head (complete renders its draft, sign_result signs it) before it is returned."""
    steps = [("xuly", "start_processing", {"assignee_id": desk.processing_id}),
             ("xuly", "complete", {"result_paper": True})]
    if desk.result_is_document:
        steps.append(("lanhdao", "sign_result", {}))
    return steps + [("tiepnhan", "return_result", {})]


async def desk_client(http, base, desk: Desk, phase: Phase, stop_at: float, pacer: Pacer,
                      ledger: Ledger):
    import aiohttp

    reception = desk.sessions["tiepnhan"]
    steps = walk(desk)
    n = 0
    while time.perf_counter() < stop_at:
        n += 1
        form = aiohttp.FormData()
        for name, value in (("procedure_code", desk.procedure_code), ("channel", "direct"),
                            ("applicant_kind", "individual"), ("applicant_name", f"Nguyễn Văn Thử {n}"),
                            ("applicant_id", PID)):
            form.add_field(name, value)
        for cid in desk.component_ids:
            form.add_field("component_ids", str(cid))
        for cid in desk.component_ids:
            # Each scan differs (as real scans do): the content-addressed store writes a new file
            # for each, instead of finding the first client's copy already there.
            scan = PDF + f"% {desk.unit_code} {id(phase)} {n} {cid} {secrets.token_hex(8)}\n".encode()
            form.add_field("files", scan, filename=f"scan-{cid}.pdf", content_type="application/pdf")
        await pacer.wait()
        d = await timed(phase, "receive", http.post(f"{base}{API}/dossiers", data=form, headers=reception), 201)
        if d is UNANSWERED:
            ledger.unanswered_receipts += 1
            continue
        if d is None:
            continue
        code = d["code"]
        ledger.seen.add(code)
        ledger.walk_length[code] = 1 + len(steps)
        ledger.recorded[code] += 1
        version = d["version"]
        for who, action, extra in steps:
            url = f"{base}{API}/dossiers/{code}/actions/{action}"
            await pacer.wait()
            d = await timed(phase, action, http.post(url, json={"version": version, **extra},
                                                     headers=desk.sessions[who]), 200)
            if d is UNANSWERED:
                ledger.in_doubt[code] = action
                break
            if d is None:
                break
            ledger.recorded[code] += 1
            version = d["version"]
            if time.perf_counter() >= stop_at:
                break  # the phase is over: the dossier stays where it is (the checks count what was done)


async def run_phase(name: str, base: str, desks: list[Desk], clients: int, seconds: float, server_pgid: int,
                    db: str, rate: float, ledger: Ledger | None = None) -> Phase:
    import aiohttp

    phase = Phase(name)
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=0, force_close=False)
    timeout = aiohttp.ClientTimeout(total=CLIENT_TIMEOUT)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=timeout) as http:
        # Warm-up (not measured): one cheap request per client opens its connection.
        warm = Phase("warm-up")
        await asyncio.gather(*(timed(warm, "warm", http.get(f"{base}{API}/procedures/{desks[i % len(desks)].procedure_code}"),
                                     200) for i in range(clients)))
        before = cpu_snapshot(server_pgid, db)
        t0 = time.perf_counter()
        stop_at = t0 + seconds
        interval = clients / rate if rate else 0.0
        if name == "desk":
            tasks = [desk_client(http, base, desks[i % len(desks)], phase, stop_at, Pacer(interval), ledger)
                     for i in range(clients)]
        else:
            tasks = [noop_client(http, base, desks[i % len(desks)], phase, stop_at, Pacer(interval))
                     for i in range(clients)]
        await asyncio.gather(*tasks)
        phase.elapsed = time.perf_counter() - t0
        phase.cpu = cpu_delta(before, cpu_snapshot(server_pgid, db))
    return phase


# ------------------------------------------------------------------------------------------------
# Checks
# ------------------------------------------------------------------------------------------------


def verify(env: dict, ledger: Ledger, dossiers_before: int) -> list[str]:
    from django.db import connection
    from django.db.models import Count, Max, Min

    from motcua.dossiers.models import Dossier

    lines = []
    t0 = time.perf_counter()
    result = subprocess.run([MOTCUA, "verify-events"], env=env, capture_output=True, text=True)
    chain_ok = result.returncode == 0
    tail = (result.stdout.strip() or result.stderr.strip()).splitlines()
    lines.append(f"motcua verify-events: exit {result.returncode} in {time.perf_counter() - t0:.1f} s — "
                 f"{tail[-1] if tail else ''}")
    if not chain_ok:
        lines += ["  " + line for line in result.stderr.strip().splitlines()[:10]]

    connection.close()  # a fresh connection after the server's writes
    recorded, seen, walk_length, in_doubt = ledger.recorded, ledger.seen, ledger.walk_length, ledger.in_doubt
    rows = {r["code"]: r for r in Dossier.objects.filter(code__in=list(seen)).annotate(
        n=Count("events"), lo=Min("events__seq"), hi=Max("events__seq")).values("code", "version", "n", "lo", "hi")}
    missing = [c for c in seen if c not in rows]
    # A request the client gave up on may have been done by the server all the same: for that
    # dossier the events are those recorded, or one more (that action's); never anything else.
    done_unanswered = [c for c, r in rows.items() if c in in_doubt and r["version"] == r["n"] == recorded[c] + 1]
    mismatched = [c for c, r in rows.items()
                  if not (r["version"] == r["n"] == recorded[c]) and c not in done_unanswered]
    bad_seq = [c for c, r in rows.items() if r["n"] and (r["lo"] != 1 or r["hi"] != r["n"])]
    from motcua.dossiers.models import DossierEvent

    duplicates = (DossierEvent.objects.filter(dossier__code__in=list(seen)).values("dossier_id", "seq")
                  .annotate(c=Count("id")).filter(c__gt=1).count())
    unseen_new = Dossier.objects.count() - dossiers_before - len(rows)
    events = sum(r["n"] for r in rows.values())
    walked = Counter(walk_length[c] for c in rows if recorded[c] == walk_length[c])
    lines.append(f"dossiers received by the clients: {len(seen)} ({sum(walked.values())} walked to 'returned': "
                 f"{walked[5]} signed document results, {walked[4]} without signature), "
                 f"events: {events}, transitions recorded by the clients: {sum(recorded[c] for c in seen)}")
    lines.append(f"version == events == recorded transitions: {len(rows) - len(mismatched)}/{len(rows)} dossiers; "
                 f"seq 1..n: {len(rows) - len(bad_seq)}/{len(rows)}; duplicate (dossier, seq): {duplicates}; "
                 f"missing: {len(missing)}; created but never answered to a client: {unseen_new}")
    if in_doubt or ledger.unanswered_receipts:
        lines.append(f"requests the clients gave up on after {CLIENT_TIMEOUT} s: {len(in_doubt)} actions "
                     f"({dict(Counter(in_doubt.values()))}), of which the server did {len(done_unanswered)} "
                     f"(version == events == recorded + 1); {ledger.unanswered_receipts} receipts")
    for c in mismatched[:5]:
        r = rows[c]
        lines.append(f"  {c}: version {r['version']}, events {r['n']}, recorded {recorded[c]}")
    ok = (chain_ok and not missing and not mismatched and not bad_seq and not duplicates
          and 0 <= unseen_new <= ledger.unanswered_receipts)
    lines.append("EVENT CHECK: " + ("PASS — no event lost or duplicated" if ok else "FAIL"))
    return lines


# ------------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q * len(values) + 0.5)) - 1))]


def table(phases: list[Phase]) -> list[str]:
    head = f"{'phase / request':<28}{'ok':>8}{'ok/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
    out = [head, "-" * len(head)]
    for phase in phases:
        groups = defaultdict(list)
        for s in phase.samples:
            groups[s.kind].append(s)
        rows = [(f"{phase.name}: all" if len(groups) > 1 else f"{phase.name}: {next(iter(groups), '')}",
                 phase.samples)]
        if len(groups) > 1:
            rows += [(f"  {k}", v) for k, v in groups.items()]
        for label, samples in rows:
            ok = [s.seconds * 1000 for s in samples if s.ok]
            lat = [s.seconds * 1000 for s in samples]
            out.append(f"{label:<28}{len(ok):>8}{len(ok) / phase.elapsed:>9.1f}{pct(lat, .5):>9.1f}"
                       f"{pct(lat, .99):>9.1f}{max(lat, default=float('nan')):>9.1f}{len(samples) - len(ok):>8}")
    return out


def cpu_lines(phases: list[Phase]) -> list[str]:
    out = [f"{'CPU seconds during phase':<28}{'gunicorn':>10}{'postgres':>10}{'loadgen':>10}{'other':>8}{'idle':>8}"
           f"{'of':>8}   CPU ms / ok request"]
    for p in phases:
        c = p.cpu
        ok = sum(1 for s in p.samples if s.ok) or 1
        other = c['total'] - c['idle'] - c['server'] - c['postgres'] - c['client']
        out.append(f"{p.name:<28}{c['server']:>10.1f}{c['postgres']:>10.1f}{c['client']:>10.1f}{other:>8.1f}{c['idle']:>8.1f}"
                   f"{c['total']:>8.1f}   gunicorn {1000 * c['server'] / ok:.1f} + postgres "
                   f"{1000 * c['postgres'] / ok:.1f}")
    return out


# ------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--units", type=int, default=100, help="units whose officers the clients log in as")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--per-month", type=int, default=200, help="demo dossiers of the one month loaded")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/motcua_bench",
                        help="PostgreSQL URL; its database is dropped and recreated")
    parser.add_argument("--rate", type=float, default=0,
                        help="offered load in requests/s over all clients (default 0: closed loop, no pause)")
    parser.add_argument("--skip-noop", action="store_true")
    args = parser.parse_args()
    args.db = args.pg.rsplit("/", 1)[1]
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db) or args.db in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop database {args.db!r}")

    data_dir = tempfile.mkdtemp(prefix="motcua-desk-bench-")
    env = {**os.environ, "DATABASE_URL": args.pg, "MOTCUA_DATA_DIR": data_dir, "MOTCUA_DEBUG": "0",
           "MOTCUA_SECRET_KEY": secrets.token_urlsafe(40), "DJANGO_SETTINGS_MODULE": "motcua.settings",
           "MOTCUA_ALLOWED_HOSTS": "127.0.0.1", "MOTCUA_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    os.environ.update(env)
    with open("/proc/loadavg") as f:
        log(f"{os.cpu_count()} CPUs; load average {f.read().split()[:3]}; python {sys.version.split()[0]}")
    prepare_database(args, env)
    desks = pick_desks(args.units)
    from motcua.dossiers.models import Dossier

    dossiers_before = Dossier.objects.count()
    from django.db import connection

    connection.close()
    log(f"{len(desks)} units ({sum(1 for d in desks if not d.prefix.startswith('x'))} departments, "
        f"{sum(d.result_is_document for d in desks)} with a document result to sign), {args.clients} clients; "
        f"components per receipt: {sorted(Counter(len(d.component_ids) for d in desks).items())}")

    log(f"background load before the server starts (3 s): {background_load()}")
    port = free_port()
    server = start_server(args, env, port)
    base = f"http://127.0.0.1:{port}"
    log(f"server: {' '.join(server_command(args, port)[1:])}")
    phases: list[Phase] = []
    ledger = Ledger()
    try:
        seconds = asyncio.run(login_all(base, desks, concurrency=2 * args.workers))
        log(f"logged in {len(ROLES) * len(desks)} officers in {seconds:.1f} s "
            f"({1000 * seconds / (len(ROLES) * len(desks)):.0f} ms "
            f"each: PBKDF2 password hashing, before the timed phases)")
        if not args.skip_noop:
            log(f"phase no-op: {args.clients} clients × GET {API}/procedures/{{code}} for {args.seconds:g} s")
            phases.append(asyncio.run(run_phase("no-op", base, desks, args.clients, args.seconds, server.pid,
                                                args.db, args.rate)))
        log(f"phase desk: {args.clients} clients × receive → start_processing → complete → "
            f"[sign_result, document results] → return_result for {args.seconds:g} s")
        phases.append(asyncio.run(run_phase("desk", base, desks, args.clients, args.seconds, server.pid,
                                            args.db, args.rate, ledger)))
    finally:
        stop_server(server)
        log("server stopped")
    log(f"background load after the server stopped (3 s): {background_load()}")
    checks = verify(env, ledger, dossiers_before)
    shutil.rmtree(data_dir, ignore_errors=True)  # the uploaded scans (the database stays for inspection)

    desk = phases[-1]
    ok = [s.seconds * 1000 for s in desk.samples if s.ok]
    tps = len(ok) / desk.elapsed
    p99 = pct([s.seconds * 1000 for s in desk.samples], .99)
    print()
    print(f"Desk benchmark — PostgreSQL {args.db}, gunicorn gthread {args.workers}×{args.threads}, "
          f"{args.clients} clients over {len(desks)} units, {args.seconds:g} s per phase, "
          + (f"offered load {args.rate:g} requests/s" if args.rate else "closed loop (no pause between requests)"))
    print()
    for line in table(phases):
        print(line)
    print()
    for line in cpu_lines(phases):
        print(line)
    print()
    for p in phases:
        c = p.cpu
        other = c["total"] - c["idle"] - c["server"] - c["postgres"] - c["client"]
        if other > 0.1 * c["total"]:
            print(f"NOTE ({p.name}): {other:.0f} of {c['total']:.0f} CPU seconds went to other work on this "
                  f"machine, not to this benchmark — the figures are lower than on a quiet machine.")
        for err, n in p.errors.most_common(8):
            print(f"error ({p.name}): {err} × {n}")
    for line in checks:
        print(line)
    print()
    verdict = tps >= 150 and p99 < 300
    print(f"TARGET ≥ 150 transitions/s with p99 < 300 ms: {'MET' if verdict else 'MISSED'} "
          f"({tps:.1f} transitions/s, p99 {p99:.0f} ms, errors {len(desk.samples) - len(ok)})")
    return 0 if verdict and checks[-1].startswith("EVENT CHECK: PASS") else 1


if __name__ == "__main__":
    sys.exit(main())
