"""Page and API latency under gunicorn on the large illustrative data set.

Builds (once) a database with `usc seed --demo --scale 1000` (1,000 cities, 20,000
projects, 2,000 partners) on SQLite or PostgreSQL, serves it with gunicorn (2 workers:
this machine has 2 cores), signs in as each role with a real HTTP client (a session
cookie for the pages, a personal access token for /api/v1) and times every listed page
and every API list endpoint, with 1 client or with N concurrent clients.

Goals, p95 in steady state: pages under 150 ms; API list endpoints under 50 ms. Each URL
is requested a few times first so both workers are warm; the very first request, which
fills per-process caches, is printed apart. The ratios printed are p95 / goal, and p95
over the p95 of /health (the floor of the stack: routing, session, one query); with
concurrent clients the floor is /health under the same load.

Usage: .venv/bin/python benchmarks/bench_web.py [--database sqlite|postgresql]
       [--clients 8] [--scale 1000] [--requests 40] [--api-only]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
PASSWORD = "bench-web-password"
GOAL_MS = 150.0
API_GOAL_MS = 50.0
WARMUP = 4
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_DATABASE = "usc_bench_web"


def database_url(kind: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{OUT / 'web.sqlite3'}"
    return f"{PG_SERVER}/{PG_DATABASE}"


def _marker(kind: str, scale: int) -> Path:
    return OUT / f"web-{kind}.scale{scale}"


def _fresh(kind: str) -> None:
    """An empty database to build into."""
    if kind == "sqlite":
        (OUT / "web.sqlite3").unlink(missing_ok=True)
        return
    server = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {PG_DATABASE}"))
        connection.execute(sa.text(f"CREATE DATABASE {PG_DATABASE}"))
    server.dispose()


def build_database(kind: str, scale: int) -> None:
    marker = _marker(kind, scale)
    if marker.exists():
        return
    _fresh(kind)
    env = os.environ | {"DATABASE_URL": database_url(kind), "USC_DEMO_PASSWORD": PASSWORD}
    started = time.perf_counter()
    subprocess.run([BIN / "usc", "db", "upgrade"], env=env, check=True, capture_output=True)
    # The demo projects get appraisal runs and the Karmøy bundle; the 20 N scale
    # projects are appraised by nobody (that would take minutes and measure nothing here).
    steps = (
        ["seed", "--demo"],
        ["appraise", "--missing"],
        ["demo-bundle"],
        ["seed", "--scale", str(scale)],
    )
    for command in steps:
        subprocess.run([BIN / "usc", *command], env=env, check=True, capture_output=True)
    marker.touch()
    print(f"built the {kind} database at scale {scale} in {time.perf_counter() - started:.1f} s")


def api_tokens(kind: str) -> dict[str, dict[str, str]]:
    """A bearer header per role, made with `usc token create` (printed once)."""
    env = os.environ | {"DATABASE_URL": database_url(kind)}
    headers = {}
    for role in ("staff", "city", "partner"):
        made = subprocess.run(
            [BIN / "usc", "token", "create", "--email", f"{role}@example.org", "--name", "bench"],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
        headers[role] = {"Authorization": f"Bearer {made.stdout.split()[0]}"}
    return headers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(kind: str, port: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": database_url(kind),
        "SECRET_KEY": "bench",
        "USC_LOGIN_RATE_LIMIT": "1000 per minute",
    }
    process = subprocess.Popen(
        [
            BIN / "gunicorn",
            "--preload",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=5).ok:
                return process
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not answer /health within 30 s")


def sign_in(base: str, email: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login")
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{base}/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"could not sign in as {email}: {answer.status_code}")
    return session


def sample_ids(kind: str) -> dict[str, int]:
    engine = sa.create_engine(database_url(kind))
    with engine.connect() as db:
        one = lambda sql: db.execute(sa.text(sql)).first()[0]  # noqa: E731
        return {
            "city": one(
                "SELECT id FROM city WHERE slug LIKE 'scale-%' ORDER BY id LIMIT 1 OFFSET 500"
            ),
            "karmoy": one("SELECT id FROM city WHERE slug = 'karmoy-no'"),
            "project": one(
                "SELECT id FROM project WHERE slug LIKE 'scale-%' ORDER BY id LIMIT 1 OFFSET 9000"
            ),
            "published": one(
                "SELECT id FROM project WHERE published ORDER BY id LIMIT 1 OFFSET 5000"
            ),
            "bundle": (
                db.execute(sa.text("SELECT id FROM bundle ORDER BY id LIMIT 1")).first() or [None]
            )[0],
            "run": one("SELECT id FROM appraisal_run ORDER BY id LIMIT 1"),
            "run_project": one("SELECT project_id FROM appraisal_run ORDER BY id LIMIT 1"),
        }


def pages(ids: dict[str, int]) -> list[tuple[str, str]]:
    listed = [
        ("staff", "/health"),
        ("anonymous", "/login"),
        ("staff", "/"),
        ("staff", "/cities"),
        ("staff", "/cities?page=15"),
        ("staff", f"/cities/{ids['city']}"),
        ("staff", "/projects"),
        ("staff", "/projects?page=300"),
        ("staff", "/projects/new"),
        ("staff", f"/projects/{ids['project']}"),
        ("staff", "/partners?page=20"),
        ("staff", "/pipeline"),
        ("staff", "/bundles"),
        ("staff", "/twinning"),
        ("staff", "/monitoring"),
        ("city", "/"),
        ("city", f"/cities/{ids['karmoy']}"),
        ("city", "/projects"),
        ("city", "/bundles"),
        ("partner", "/"),
        ("partner", "/opportunities"),
        ("partner", "/opportunities?page=50"),
        ("partner", f"/opportunities/{ids['published']}"),
        ("partner", "/opportunities/interests"),
        ("staff", f"/cities/{ids['karmoy']}/gaps"),
        ("staff", f"/projects/{ids['run_project']}/runs/{ids['run']}"),
        ("staff", f"/projects/{ids['run_project']}/matches"),
        ("staff", f"/projects/{ids['project']}/edit"),
        ("staff", f"/projects/{ids['project']}/cashflows"),
    ]
    if ids.get("bundle"):
        listed.append(("staff", f"/bundles/{ids['bundle']}"))
    return listed


def api_endpoints(ids: dict[str, int]) -> list[tuple[str, str]]:
    """Every list endpoint of the API, as the roles that use it."""
    return [
        ("staff", "/api/v1/cities"),
        ("staff", "/api/v1/cities?page=15"),
        ("city", f"/api/v1/cities/{ids['karmoy']}/kpis"),
        ("staff", "/api/v1/projects"),
        ("staff", "/api/v1/projects?page=300"),
        ("staff", f"/api/v1/projects?city_id={ids['city']}"),
        ("city", "/api/v1/projects"),
        ("partner", "/api/v1/projects"),
        ("staff", f"/api/v1/projects/{ids['run_project']}/runs"),
        ("staff", "/api/v1/bundles"),
        ("city", "/api/v1/bundles"),
        ("partner", "/api/v1/opportunities"),
        ("partner", "/api/v1/opportunities?page=50"),
        ("partner", "/api/v1/interests"),
    ]


def _clone(session: requests.Session) -> requests.Session:
    """A session of the same user for another client thread."""
    clone = requests.Session()
    clone.cookies.update(session.cookies)
    clone.headers.update(session.headers)
    return clone


def time_url(session: requests.Session, url: str, requests_: int, clients: int) -> tuple:
    """(status, first ms, median ms, p95 ms) of ``requests_`` GETs by ``clients`` clients."""
    started = time.perf_counter()
    status = session.get(url).status_code
    first = (time.perf_counter() - started) * 1000
    for _ in range(WARMUP):
        session.get(url)

    def client(count: int) -> list[float]:
        own, times = _clone(session), []
        for _ in range(count):
            started = time.perf_counter()
            own.get(url)
            times.append((time.perf_counter() - started) * 1000)
        return times

    share = max(1, requests_ // clients)
    with ThreadPoolExecutor(clients) as pool:
        times = sorted(t for part in pool.map(client, [share] * clients) for t in part)
    return status, first, statistics.median(times), times[int(0.95 * (len(times) - 1))]


def report(title: str, results: list, goal: float, floor: float) -> int:
    print(f"\n{title}")
    print(
        f"{'role':<10}{'url':<42}{'status':>7}{'first ms':>10}{'median ms':>11}{'p95 ms':>9}"
        f"{'p95/goal':>10}{'p95/health':>12}  goal"
    )
    failed = 0
    for role, url, status, first, median, p95 in results:
        ok = p95 < goal and status == 200
        failed += not ok
        print(
            f"{role:<10}{url:<42}{status:>7}{first:>10.1f}{median:>11.1f}{p95:>9.1f}"
            f"{p95 / goal:>10.2f}{p95 / floor:>12.1f}  {'PASS' if ok else 'FAIL'}"
        )
    worst = max(results, key=lambda r: r[5])
    print(
        f"worst p95: {worst[5]:.1f} ms on {worst[1]} ({worst[0]}); goal p95 < {goal:.0f} ms: "
        f"{'PASS' if not failed else f'FAIL on {failed} URL(s)'}"
    )
    return failed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=1, help="concurrent clients")
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=40, help="per URL, all clients")
    parser.add_argument("--api-only", action="store_true", help="time the API alone")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    build_database(args.database, args.scale)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(args.database, port)
    try:
        sessions = {
            "staff": sign_in(base, "staff@example.org"),
            "city": sign_in(base, "city@example.org"),
            "partner": sign_in(base, "partner@example.org"),
            "anonymous": requests.Session(),
        }
        api = {}
        for role, headers in api_tokens(args.database).items():
            api[role] = requests.Session()
            api[role].headers.update(headers)
        ids = sample_ids(args.database)
        timed = lambda session, url: time_url(session, base + url, args.requests, args.clients)  # noqa: E731
        floor = timed(sessions["staff"], "/health")[3]
        page_results = []
        if not args.api_only:
            for role, url in pages(ids):
                page_results.append((role, url, *timed(sessions[role], url)))
        api_results = [(role, url, *timed(api[role], url)) for role, url in api_endpoints(ids)]
    finally:
        server.terminate()
        server.wait(10)
    where = (
        f"scale {args.scale}, {args.database}, gunicorn 2 workers, {args.clients} concurrent "
        f"client(s), {args.requests} requests per URL; /health p95 {floor:.1f} ms"
    )
    failed = 0
    if page_results:
        failed += report(f"Pages ({where})", page_results, GOAL_MS, floor)
    failed += report(f"API list endpoints ({where})", api_results, API_GOAL_MS, floor)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
