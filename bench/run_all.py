"""`make bench`: intake throughput against a bare nameko baseline (same run), footprint, public page, report.

Loopback only, bounded in time. Needs wrk (`apt-get install wrk`), RabbitMQ and PostgreSQL as for the tests;
uses its own vhost and database and removes them. Prints a table and writes bench/results/bench.json.
"""
import json
import os
import platform as host
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from services.local_platform import LocalPlatform  # noqa: E402
from support.platform import free_port  # noqa: E402
from support.resources import create_database, create_vhost, delete_vhost, drop_database  # noqa: E402

DURATION = os.environ.get("BENCH_SECONDS", "15")
RESULTS = REPO / "bench" / "results"


def wrk(url, script=None, connections=20, duration=DURATION):
    args = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        args += ["-s", str(REPO / "bench" / script)]
    output = subprocess.run(args + [url], capture_output=True, text=True, timeout=int(duration) + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    summary = next((json.loads(line[5:]) for line in output.splitlines() if line.startswith("JSON ")), {})
    return {"rate": rate, "non_2xx": int(non2xx.group(1)) if non2xx else 0, **summary}


def rss_mb(pids):
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return round(total / 1024, 1)


def wait_http(url, timeout=30):
    import urllib.request
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:  # noqa: BLE001 - any answer (even 404) means it is up; errors mean not yet
            if "HTTP Error" in str(sys.exc_info()[1]):
                return
            time.sleep(0.2)
    raise TimeoutError(url)


def main():
    run_id = secrets.token_hex(4)
    vhost, database = f"vp_bench_{run_id}", f"vp_bench_{run_id}"
    create_vhost(vhost)
    create_database(database)
    amqp = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    results = {"machine": {"cpus": os.cpu_count(), "python": host.python_version(), "platform": host.platform()}}
    try:
        # 1. the baseline: bare nameko HTTP, no work
        port = free_port()
        env = dict(os.environ, AMQP_URI=amqp, WEB_SERVER_ADDRESS=f"127.0.0.1:{port}")
        baseline = subprocess.Popen([sys.executable, str(REPO / "bench" / "baseline_service.py")], env=env,
                                    cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_http(f"http://127.0.0.1:{port}/")
            results["baseline"] = wrk(f"http://127.0.0.1:{port}/api/v1/complaints", "post_complaint.lua")
        finally:
            baseline.terminate()
            baseline.wait(10)

        # 2. the whole platform on PostgreSQL
        web = free_port()
        env = {"AMQP_URI": amqp, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
               "VOORPORTAAL_VAR_DIR": str(REPO / "var" / f"bench-{run_id}"), "WEB_SERVER_ADDRESS": f"127.0.0.1:{web}",
               "PARTNER_IDS": "kifid,nationale-ombudsman", "LOG_LEVEL": "WARNING",
               "INTAKE_RATE_PER_CLIENT": "100000", "INTAKE_BURST_PER_CLIENT": "100000",
               "INTAKE_RATE_GLOBAL": "100000", "INTAKE_BURST_GLOBAL": "100000", "SMTP_PORT": str(free_port())}
        for service in ("intake", "routing", "notification", "analytics"):
            env[f"{service.upper()}_METRICS_PORT"] = str(free_port())
            env[f"{service.upper()}_RELAY_METRICS_PORT"] = str(free_port())
        running = LocalPlatform(env=env, log_dir=REPO / "var" / f"bench-{run_id}" / "logs").start()
        try:
            pids = [p.pid for p in running.processes.values()]
            time.sleep(3)
            results["footprint_idle_mb"] = rss_mb(pids)
            results["platform"] = wrk(f"http://127.0.0.1:{web}/api/v1/complaints", "post_complaint.lua")
            results["footprint_load_mb"] = rss_mb(pids)
            results["page"] = wrk(f"http://127.0.0.1:{web}/en/", connections=10, duration="10")
            import urllib.request
            results["page"]["bytes"] = {lang: len(urllib.request.urlopen(f"http://127.0.0.1:{web}/{lang}/form").read())
                                        for lang in ("nl", "en", "bg")}
        finally:
            running.stop()
    finally:
        delete_vhost(vhost)
        drop_database(database)
    results["throughput_ratio"] = round(results["platform"]["rate"] / results["baseline"]["rate"], 3)

    subprocess.run([sys.executable, str(REPO / "bench" / "bench_report.py")], check=False)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2))
    rows = [
        ("baseline: bare nameko POST (req/s)", results["baseline"]["rate"], ""),
        ("platform: POST /api/v1/complaints (req/s)", results["platform"]["rate"],
         f"non-2xx {results['platform']['non_2xx']}"),
        ("throughput ratio platform/baseline", results["throughput_ratio"], "target >= 0.6"),
        ("intake p50 / p99 under that load (ms)",
         f"{results['platform'].get('p50_ms')} / {results['platform'].get('p99_ms')}", ""),
        ("resident memory, all processes idle (MB)", results["footprint_idle_mb"], "target <= 400"),
        ("resident memory, under load (MB)", results["footprint_load_mb"], ""),
        ("form page GET /en/ (req/s)", results["page"]["rate"], ""),
        ("form page bytes nl/en/bg", "/".join(str(v) for v in results["page"]["bytes"].values()), "aim < 30 KB"),
    ]
    print("\n| figure | value | note |\n|---|---|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    main()
