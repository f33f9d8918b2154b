"""`make bench`: intake throughput against a bare nameko baseline (same run), footprint, end-to-end latency to
the partner, burst drain, public page TTFB and bytes, evaluation report. docs/bench.md explains every figure.

Loopback only, bounded in time (BENCH_TIMEOUT, default 19 min). Needs wrk (`apt-get install wrk`), RabbitMQ and
PostgreSQL as for the tests; uses its own vhost, database and var dir and removes them, also on failure. Prints a
table and writes bench/results/bench.json.
"""
import inspect
import json
import os
import platform as host
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

from devtools.local_platform import LocalPlatform  # noqa: E402
from support.platform import free_port  # noqa: E402
from support.resources import create_database, create_vhost, delete_vhost, drop_database  # noqa: E402
from support.resources import MANAGEMENT, AUTH  # noqa: E402

import cpu_accounting  # noqa: E402
from burst import burst_drain  # noqa: E402
from latency import broker_floor, end_to_end  # noqa: E402
from page_ttfb import page_bytes, ttfb  # noqa: E402
from partner_tap import PartnerTap  # noqa: E402

DURATION = os.environ.get("BENCH_SECONDS", "15")  # each wrk run; the other phases scale with it
SECONDS = int(DURATION)
LATENCY_RATE = int(os.environ.get("BENCH_LATENCY_RATE", "50"))
LATENCY_SECONDS = int(os.environ.get("BENCH_LATENCY_SECONDS", str(2 * SECONDS)))
# the same measurement at a rate a 2-core box sustains with CPU to spare: shows what the path costs unloaded
LATENCY_LOW_RATE = int(os.environ.get("BENCH_LATENCY_LOW_RATE", "25"))
TTFB_RATE = int(os.environ.get("BENCH_TTFB_RATE", "100"))
BURST = int(os.environ.get("BENCH_BURST", "10000"))
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", str(19 * 60)))
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


def settle(tap, vhost, timeout=120):
    """Wait until the backlog of the earlier phases is gone: nothing queued in the vhost (dead letters and
    partner queues nobody reads aside) and no referral for 2 s. Returns the seconds waited."""
    import requests
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        queues = requests.get(f"{MANAGEMENT}/queues/{vhost}", auth=AUTH, timeout=10,
                              params={"columns": "name,messages"}).json()
        busy = sum(q.get("messages") or 0 for q in queues
                   if not q["name"].startswith(("voorportaal.dead-letters", "partner.")))
        if busy == 0 and tap.idle_for() > 2:
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def dead_letters(vhost):
    import requests
    queues = requests.get(f"{MANAGEMENT}/queues/{vhost}", auth=AUTH, timeout=10,
                          params={"columns": "name,messages"}).json()
    return sum(q.get("messages") or 0 for q in queues if q["name"].startswith("voorportaal.dead-letters"))


def watchdog(seconds):
    """The whole run is bounded: SIGALRM after `seconds` (and SIGTERM) unwind through every cleanup."""
    def expire(*_):
        raise TimeoutError(f"make bench exceeded BENCH_TIMEOUT={seconds}s")
    signal.signal(signal.SIGALRM, expire)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("make bench: terminated"))
    signal.alarm(seconds)


def platform_env(amqp, database, var_dir, web, secret):
    env = {"AMQP_URI": amqp, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
           "VOORPORTAAL_VAR_DIR": str(var_dir), "WEB_SERVER_ADDRESS": f"127.0.0.1:{web}",
           "DECLARE_PARTNER_QUEUES": "true", "LOG_LEVEL": "WARNING", "PARTNER_SECRET": secret.hex(),
           "INTAKE_RATE_PER_CLIENT": "100000", "INTAKE_BURST_PER_CLIENT": "100000",
           "INTAKE_RATE_GLOBAL": "100000", "INTAKE_BURST_GLOBAL": "100000", "SMTP_PORT": str(free_port()),
           "NOTIFICATION_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}"}
    for service in ("intake", "routing", "notification", "analytics"):
        env[f"{service.upper()}_METRICS_PORT"] = str(free_port())
        env[f"{service.upper()}_RELAY_METRICS_PORT"] = str(free_port())
    return env


def measure_platform(results, amqp, vhost, database, var_dir):
    web, secret = free_port(), secrets.token_bytes(32)
    options = {"combined_relays": True} if "combined_relays" in inspect.signature(LocalPlatform).parameters else {}
    running = LocalPlatform(env=platform_env(amqp, database, var_dir, web, secret), log_dir=var_dir / "logs",
                            **options)
    tap = None
    try:
        running.start()
        tap = PartnerTap(amqp, "kifid", secret).start()
        pids = [p.pid for p in running.processes.values()]
        results["processes"] = sorted(running.processes)
        time.sleep(3)
        results["footprint_idle_mb"] = rss_mb(pids)
        results["platform"] = wrk(f"http://127.0.0.1:{web}/api/v1/complaints", "post_complaint.lua")
        results["footprint_load_mb"] = rss_mb(pids)
        results["page"] = wrk(f"http://127.0.0.1:{web}/en/", connections=10, duration=str(max(1, SECONDS * 2 // 3)))
        results["page"]["bytes"] = page_bytes(web)
        results["settle_s"] = settle(tap, vhost)
        results["broker_floor"] = broker_floor(amqp, LATENCY_RATE, max(3, SECONDS // 3))
        results["latency"] = end_to_end(web, tap, LATENCY_RATE, LATENCY_SECONDS)
        results["settle_after_latency_s"] = settle(tap, vhost)
        groups = {str(process.pid): name for name, process in running.processes.items()}
        before = cpu_accounting.snapshot(groups)
        results["latency_low_rate"] = end_to_end(web, tap, LATENCY_LOW_RATE, LATENCY_SECONDS)
        results["settle_after_low_rate_s"] = settle(tap, vhost)  # the backlog's CPU belongs to these complaints
        results["cpu_ms_per_complaint"] = cpu_accounting.ms_per_item(
            before, cpu_accounting.snapshot(groups), results["latency_low_rate"]["accepted"])
        results["page_ttfb"] = ttfb(web, TTFB_RATE, SECONDS)
        results["settle_before_burst_s"] = settle(tap, vhost)
        results["burst"] = burst_drain(running, web, tap, BURST)
        results["dead_letters"] = dead_letters(vhost)
    finally:
        if tap is not None:
            tap.stop()
        running.stop()


def measure_baseline(results, amqp):
    """Bare nameko: the POST ceiling (wrk) and the TTFB floor of a same-size static page at the same rate."""
    port = free_port()
    env = dict(os.environ, AMQP_URI=amqp, WEB_SERVER_ADDRESS=f"127.0.0.1:{port}")
    baseline = subprocess.Popen([sys.executable, str(REPO / "bench" / "baseline_service.py")], env=env,
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/")
        results["baseline"] = wrk(f"http://127.0.0.1:{port}/api/v1/complaints", "post_complaint.lua")
        results["baseline_page_ttfb"] = ttfb(port, TTFB_RATE, max(3, SECONDS // 3))
    finally:
        baseline.terminate()
        try:
            baseline.wait(10)
        except subprocess.TimeoutExpired:
            baseline.kill()
            baseline.wait()


def evaluation_report():
    """bench/bench_report.py in its own process (cached synthetic databases in var/bench/)."""
    try:
        subprocess.run([sys.executable, str(REPO / "bench" / "bench_report.py"), "--repeat", "3"], check=False,
                       timeout=600)
        return json.loads((RESULTS / "report.json").read_text())
    except (subprocess.TimeoutExpired, OSError, ValueError) as exc:
        return {"error": repr(exc)}


def main():
    started = time.monotonic()
    watchdog(TIMEOUT)
    run_id = secrets.token_hex(4)
    vhost, database = f"vp_bench_{run_id}", f"vp_bench_{run_id}"
    var_dir = REPO / "var" / f"bench-{run_id}"
    amqp = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    results = {"machine": {"cpus": os.cpu_count(), "python": host.python_version(), "platform": host.platform()},
               "knobs": {"BENCH_SECONDS": SECONDS, "BENCH_LATENCY_RATE": LATENCY_RATE,
                         "BENCH_LATENCY_SECONDS": LATENCY_SECONDS, "BENCH_LATENCY_LOW_RATE": LATENCY_LOW_RATE,
                         "BENCH_TTFB_RATE": TTFB_RATE,
                         "BENCH_BURST": BURST}}
    ok = False
    try:
        create_vhost(vhost)
        create_database(database)
        measure_baseline(results, amqp)
        measure_platform(results, amqp, vhost, database, var_dir)
        ok = True
    finally:
        signal.alarm(0)
        delete_vhost(vhost)
        drop_database(database)
        if ok:
            shutil.rmtree(var_dir, ignore_errors=True)
        else:
            print(f"make bench failed; service logs kept in {var_dir}/logs", file=sys.stderr)
    signal.alarm(max(60, TIMEOUT - int(time.monotonic() - started)))
    results["report"] = evaluation_report()
    signal.alarm(0)
    results["throughput_ratio"] = round(results["platform"]["rate"] / results["baseline"]["rate"], 3)
    results["duration_s"] = round(time.monotonic() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench.json").write_text(json.dumps(results, indent=2))
    print_table(results)
    return 0


def _met(value, limit, higher_is_better=False):
    if value is None:
        return "no"
    return "yes" if (value >= limit if higher_is_better else value <= limit) else "no"


def print_table(r):
    lat, burst, ttfb_, base_ttfb = r["latency"], r["burst"], r["page_ttfb"], r["baseline_page_ttfb"]
    e2e = lat["accepted_to_partner"]
    low = r["latency_low_rate"]
    report = r["report"]
    ratio_report = report.get("ratio_build_and_render")
    largest_page = max(max(steps.values()) for steps in r["page"]["bytes"].values())
    rows = [
        ("baseline: bare nameko POST (req/s)", r["baseline"]["rate"], "", ""),
        ("platform: POST /api/v1/complaints (req/s)", f"{r['platform']['rate']} (non-2xx "
         f"{r['platform']['non_2xx']})", "", ""),
        ("throughput ratio platform/baseline", r["throughput_ratio"], ">= 0.6", _met(r["throughput_ratio"], 0.6, True)),
        ("intake p50 / p99 under that load (ms)", f"{r['platform'].get('p50_ms')} / {r['platform'].get('p99_ms')}",
         "", ""),
        ("resident memory, all processes idle (MB)", r["footprint_idle_mb"], "<= 400",
         _met(r["footprint_idle_mb"], 400)),
        ("resident memory, under load (MB)", r["footprint_load_mb"], "", ""),
        ("form page GET /en/ (req/s, wrk)", r["page"]["rate"], "", ""),
        (f"201 -> partner p50 at {lat['rate_per_s']}/s open loop (ms)", e2e["p50_ms"], "<= 50",
         _met(e2e["p50_ms"], 50)),
        (f"201 -> partner p99 at {lat['rate_per_s']}/s open loop (ms)", e2e["p99_ms"], "<= 250",
         _met(e2e["p99_ms"], 250)),
        ("  accepted / not received at partner", f"{lat['accepted']} / {lat['not_received']}", "0 not received",
         _met(lat["not_received"], 0)),
        (f"  same path at {low['rate_per_s']}/s: 201 -> partner p50 / p99 (ms)",
         f"{low['accepted_to_partner']['p50_ms']} / {low['accepted_to_partner']['p99_ms']}", "", ""),
        ("  CPU per complaint in that phase, all processes (ms)", r["cpu_ms_per_complaint"]["total"], "", ""),
        ("  by process (ms)", ", ".join(f"{name} {ms}" for name, ms in r["cpu_ms_per_complaint"].items()
                                        if name != "total"), "", ""),
        ("  same run: one broker hop p50 / p99 (ms)",
         f"{r['broker_floor']['p50_ms']} / {r['broker_floor']['p99_ms']}", "", ""),
        (f"burst: {burst['accepted']} accepted with routing down, drain (s)", burst["drain_s"], "", ""),
        ("  drain rate (complaints/s) / routing ready after (s)",
         f"{burst['drain_rate_per_s']} / {burst['routing_ready_s']}", "", ""),
        ("  lost / duplicated at the partner", f"{burst['lost']} / {burst['duplicated']}", "0 / 0",
         "yes" if burst["lost"] == 0 and burst["duplicated"] == 0 and not burst["timed_out"] else "no"),
        (f"form page TTFB p50 / p99 at {ttfb_['rate_per_s']}/s open loop (ms)",
         f"{ttfb_['ttfb']['p50_ms']} / {ttfb_['ttfb']['p99_ms']}", "", ""),
        ("  same run: bare nameko static page TTFB p50 / p99 (ms)",
         f"{base_ttfb['ttfb']['p50_ms']} / {base_ttfb['ttfb']['p99_ms']}", "", ""),
        ("form page bytes, largest of 6 languages x (start + 5 steps)", largest_page, "< 30 KB",
         _met(largest_page, 30 * 1024 - 1)),
        ("  first step nl/en/es/ro/bg/pl",
         "/".join(str(steps["about"]) for steps in r["page"]["bytes"].values()), "", ""),
        ("evaluation report 200k/100k time ratio", round(ratio_report, 2) if ratio_report else report.get("error"),
         "<= 2.2", _met(ratio_report, 2.2)),
        ("dead-lettered events during the run", r["dead_letters"], "0", _met(r["dead_letters"], 0)),
    ]
    machine = r["machine"]
    print(f"\nmachine: {machine['cpus']} cpus, python {machine['python']}, {machine['platform']}; "
          f"make bench took {r['duration_s']} s")
    print("\n| figure | value | target | met? |\n|---|---|---|---|")
    for name, value, target, met in rows:
        print(f"| {name} | {value} | {target} | {met} |")


if __name__ == "__main__":
    sys.exit(main())
