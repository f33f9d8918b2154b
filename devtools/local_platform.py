"""Run the whole platform on one machine: five services, their outbox relays, optionally a mail catcher.

`make run` uses this (`python -m devtools.local_platform`); the end-to-end tests use LocalPlatform with their
own vhost, database and ports. Each service is its own OS process, as in production. Each service's relay runs
either as a process of its own, as in production (the default), or inside its service (`relays="in-service"`:
`make run` and the benchmark, 62 MB less on a small box; libs/kit/relay_in_service.py).
"""
import argparse
import os
import signal
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from libs.kit.config import DEFAULT_OPS_PORTS, DEFAULT_RELAY_PORTS, SERVICES

REPO_ROOT = Path(__file__).resolve().parents[1]
RELAY_LAYOUTS = ("processes", "in-service")


class LocalPlatform:
    def __init__(self, env=None, log_dir=None, services=SERVICES, smtp_catcher=False, relays="processes"):
        if relays not in RELAY_LAYOUTS:
            raise ValueError(f"relays must be one of {RELAY_LAYOUTS}")
        self.env = dict(os.environ, **(env or {}))
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        self.log_dir = Path(log_dir) if log_dir else None
        self.services = services
        self.smtp_catcher = smtp_catcher
        self.relays = relays
        self.gate_dir = None
        if relays == "in-service":
            # the relays inside the services publish once this file exists: after every service answers ready
            self.gate_dir = tempfile.mkdtemp(prefix="voorportaal-relay-gate-")
            self.env.update(OUTBOX_RELAY="in-service", OUTBOX_RELAY_GATE=os.path.join(self.gate_dir, "open"))
        self.processes = {}

    def _spawn(self, name, args):
        out = None
        if self.log_dir:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen([sys.executable, *args], env=self.env, cwd=REPO_ROOT,
                                                stdout=out, stderr=subprocess.STDOUT if out else None)

    def start_service(self, service):
        self._spawn(service, ["-m", f"services.{service}"])

    def start_relay(self, service):
        self._spawn(f"{service}-relay", ["-m", "libs.kit.relay", service])

    def start(self, wait=True):
        """Start everything; if anything fails to come up, stop what did start (no orphans) and say which
        process failed, with the end of its log when there is one."""
        try:
            return self._start(wait)
        except (RuntimeError, TimeoutError) as failed:
            self.stop()
            raise RuntimeError(f"{failed}{self._log_tail(failed)}") from None

    def _log_tail(self, failed, lines=15):
        name = str(failed).split(" ", 1)[0]
        path = self.log_dir / f"{name}.log" if self.log_dir else None
        if path is None or not path.exists():
            return ""
        return "; its log ends with:\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def _start(self, wait):
        if self.smtp_catcher:
            self._spawn("smtp-catcher", ["-m", "devtools.smtp_catcher"])
        for service in self.services:
            self.start_service(service)
        if wait:
            self.wait_ready(self.services)  # handler queues exist before the relays publish into them
        if self.relays == "in-service":
            Path(self.env["OUTBOX_RELAY_GATE"]).touch()
        else:
            for service in self.services:
                self.start_relay(service)
            if wait:
                self.wait_ready([f"{s}-relay" for s in self.services])
        if wait:
            if {"intake", "casework"} <= set(self.services):
                self.wait_for_key_directory()
        return self

    def wait_for_key_directory(self, timeout=60):
        """Intake seals complaints for the desk's key directory, which casework publishes at start; until intake
        has it, complaints are refused (503). Wait for it, so the platform is whole when start() returns."""
        url = f"http://127.0.0.1:{self.ops_port('intake')}/metrics"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=1) as response:
                    for line in response.read().decode().splitlines():
                        if line.startswith("voorportaal_intake_key_directory_version{") and \
                                float(line.rsplit(" ", 1)[1]) > 0:
                            return
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"intake has no key directory from casework after {timeout}s")

    def ops_port(self, name):
        if name.endswith("-relay"):
            service = name[:-len("-relay")]
            return int(self.env.get(f"{service.upper()}_RELAY_METRICS_PORT", DEFAULT_RELAY_PORTS[service]))
        return int(self.env.get(f"{name.upper()}_METRICS_PORT", DEFAULT_OPS_PORTS[name]))

    def wait_ready(self, names, timeout=60):
        deadline = time.monotonic() + timeout
        for name in names:
            url = f"http://127.0.0.1:{self.ops_port(name)}/health/ready"
            while True:
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{name} exited with code {process.returncode} while starting")
                try:
                    with urllib.request.urlopen(url, timeout=1) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{name} not ready after {timeout}s")
                time.sleep(0.1)

    def stop_process(self, name, sig=signal.SIGTERM, timeout=15):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def stop(self):
        for name in list(self.processes):
            self.stop_process(name)
        if self.gate_dir is not None:
            shutil.rmtree(self.gate_dir, ignore_errors=True)


def demo_sign_in_help():
    """How to sign in to the workspace with the demo accounts casework made (var/demo-accounts.json)."""
    from services.casework.use_cases.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
    lines = [f"Workspace demo accounts (local runs only), password \"{DEMO_PASSWORD}\"; the second-factor code: "
             ".venv/bin/voorportaal-casework demo-code EMAIL"]
    lines += [f"  {email}  ({role})" for email, _name, role, _mediator in DEMO_ACCOUNTS]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run all Voorportaal services locally")
    parser.add_argument("--no-smtp-catcher", action="store_true")
    args = parser.parse_args(argv)
    # routing declares the demo partners' queues, so referrals wait there until a partner reads them
    env = {"DECLARE_PARTNER_QUEUES": os.environ.get("DECLARE_PARTNER_QUEUES", "true"),
           # a local broker has one user (guest): it may publish status updates for every demo partner
           "PARTNER_UPDATES_LOCAL_USER": os.environ.get("PARTNER_UPDATES_LOCAL_USER", "guest"),
           # demo accounts of each role, printed below: a local run only
           "CASEWORK_DEMO_ACCOUNTS": os.environ.get("CASEWORK_DEMO_ACCOUNTS", "true")}
    platform = LocalPlatform(env=env, smtp_catcher=not args.no_smtp_catcher, relays="in-service")
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))
    try:
        platform.start()
        print("Voorportaal is running: form and API on http://127.0.0.1:8000 · the desk's workspace on "
              "http://localhost:8005 · metrics on :9101-9105 (each with its outbox relay's) · Ctrl-C stops\n"
              + demo_sign_in_help(), file=sys.stderr, flush=True)
        while not stop:
            for name, process in list(platform.processes.items()):
                if process.poll() is not None:
                    print(f"{name} exited with code {process.returncode}", file=sys.stderr, flush=True)
                    stop.append(True)
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        platform.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
