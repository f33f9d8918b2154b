"""What `make bench` needs on the machine, checked before anything starts: a missing tool is named with the
command that installs it (Debian/Ubuntu), instead of a traceback minutes into the run."""
import glob
import importlib.util
import os
import shutil


def missing():
    """[(what is missing, how to install it)]; empty when everything is there."""
    problems = []
    if shutil.which("wrk") is None:
        problems.append(("wrk (HTTP load generator)", "apt-get install wrk"))
    pg_bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not any(os.path.exists(f"{d}/initdb") and os.path.exists(f"{d}/pg_ctl") for d in pg_bins):
        problems.append(("PostgreSQL server binaries (initdb, pg_ctl in /usr/lib/postgresql/<version>/bin)",
                         "apt-get install postgresql"))
    elif not glob.glob("/usr/lib/postgresql/*/lib/pg_stat_statements.so"):
        problems.append(("the pg_stat_statements extension", "apt-get install postgresql-contrib"))
    if not os.path.exists("/usr/lib/rabbitmq/bin/rabbitmq-server"):
        problems.append(("RabbitMQ server (/usr/lib/rabbitmq/bin/rabbitmq-server)", "apt-get install rabbitmq-server"))
    elif not glob.glob("/usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins/rabbitmq_management-*"):
        problems.append(("RabbitMQ's management plugin", "apt-get install rabbitmq-server (3.8 or later)"))
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        problems.append(("runuser (PostgreSQL refuses to run as root; the bench runs it as `postgres`)",
                         "apt-get install util-linux"))
    for module in ("psycopg", "pika", "requests", "nameko", "sqlalchemy"):
        if importlib.util.find_spec(module) is None:
            problems.append((f"the Python package {module}", "make install"))
    return problems


def report(problems):
    lines = ["make bench cannot start; missing:"]
    lines += [f"  - {what}: {how}" for what, how in problems]
    lines.append("Install them (as root, or with sudo) and run make bench again.")
    return "\n".join(lines)
