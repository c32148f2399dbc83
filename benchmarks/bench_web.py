"""Page latency under gunicorn on the large illustrative data set.

Builds (once) a SQLite database with `usc seed --demo --scale 1000` (1,000 cities,
20,000 projects, 2,000 partners), serves it with gunicorn (2 workers: this machine has
2 cores), signs in as each role with a real HTTP client and times every listed page.
Goal: p95 under 150 ms per page, in steady state (each page is requested a few times
first so both workers are warm; the very first request, which fills per-process
caches, is printed apart). The ratio printed is p95 / goal, and p95 over the p95 of
/health (the floor of the stack: routing, session, one query).

Usage: .venv/bin/python benchmarks/bench_web.py [--scale 1000] [--requests 40]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
PASSWORD = "bench-web-password"
GOAL_MS = 150.0
WARMUP = 4


def build_database(path: Path, scale: int) -> None:
    marker = path.with_suffix(f".scale{scale}")
    if path.exists() and marker.exists():
        return
    path.unlink(missing_ok=True)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{path}", "USC_DEMO_PASSWORD": PASSWORD}
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
    print(f"built {path.name} at scale {scale} in {time.perf_counter() - started:.1f} s")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(path: Path, port: int) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{path}",
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


def sample_ids(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
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
                db.execute("SELECT id FROM bundle ORDER BY id LIMIT 1").fetchone() or [None]
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "web.sqlite3"
    build_database(path, args.scale)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(path, port)
    try:
        sessions = {
            "staff": sign_in(base, "staff@example.org"),
            "city": sign_in(base, "city@example.org"),
            "partner": sign_in(base, "partner@example.org"),
            "anonymous": requests.Session(),
        }
        ids = sample_ids(path)
        results = []
        for role, url in pages(ids):
            session = sessions[role]
            # The first request of each worker process fills its caches (e.g. partner
            # fit scores): shown apart as "first ms", then WARMUP more so both workers
            # are warm before the steady-state timing.
            started = time.perf_counter()
            status = session.get(base + url).status_code
            first = (time.perf_counter() - started) * 1000
            for _ in range(WARMUP):
                session.get(base + url)
            times = []
            for _ in range(args.requests):
                started = time.perf_counter()
                session.get(base + url)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[int(0.95 * (len(times) - 1))]
            results.append((role, url, status, first, statistics.median(times), p95))
    finally:
        server.terminate()
        server.wait(10)
    floor = next(r[5] for r in results if r[1] == "/health")
    print(f"\nscale {args.scale}: {args.requests} requests per page, gunicorn 2 workers, SQLite")
    print(
        f"{'role':<10}{'page':<34}{'status':>7}{'first ms':>10}{'median ms':>11}{'p95 ms':>9}"
        f"{'p95/goal':>10}{'p95/health':>12}  goal"
    )
    failed = 0
    for role, url, status, first, median, p95 in results:
        ok = p95 < GOAL_MS and status == 200
        failed += not ok
        print(
            f"{role:<10}{url:<34}{status:>7}{first:>10.1f}{median:>11.1f}{p95:>9.1f}"
            f"{p95 / GOAL_MS:>10.2f}"
            f"{p95 / floor:>12.1f}  {'PASS' if ok else 'FAIL'}"
        )
    worst = max(results, key=lambda r: r[5])
    print(
        f"\nworst p95: {worst[5]:.1f} ms on {worst[1]} ({worst[0]}); goal p95 < {GOAL_MS:.0f} ms: "
        f"{'PASS' if not failed else f'FAIL on {failed} page(s)'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
