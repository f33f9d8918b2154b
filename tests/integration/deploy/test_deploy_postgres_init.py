"""deploy/compose/postgres/10-voorportaal-databases.sh on a real PostgreSQL: a private cluster on a free loopback port
(tests/chaos/private_infra.py), never the shared one, whose roles `intake`, `routing`, ... would collide.

What this proves: the script makes one role and one database per service, casework's included; each role connects
to its own database and to no other; and a second run (an installation that predates a service, docs/operations.md
"Casework") adds what is missing and changes nothing that exists, passwords included.
"""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from chaos.private_infra import PrivatePostgres
from support.deploy_testlib import DEPLOY, SERVICES

SCRIPT = DEPLOY / "compose" / "postgres" / "10-voorportaal-databases.sh"

pytestmark = pytest.mark.skipif(not shutil.which("psql") or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
                                reason="PostgreSQL's initdb and psql are needed")


@pytest.fixture(scope="module")
def cluster():
    where = Path(tempfile.mkdtemp(prefix="vp-deploy-pg-"))
    where.chmod(0o755)  # the postgres user must reach its subdirectory
    postgres = PrivatePostgres(where)
    try:
        postgres.init().start()
        yield postgres
    finally:
        postgres.close()
        shutil.rmtree(where, ignore_errors=True)


def run_script(cluster, secrets_dir):
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": str(cluster.port), "POSTGRES_USER": "postgres",
           "VOORPORTAAL_DB_SECRETS_DIR": str(secrets_dir)}
    return subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


def write_passwords(directory, services, value):
    directory.mkdir(exist_ok=True)
    for service in services:
        (directory / f"db_{service}_password").write_text(f"{value}-{service}")


def connect(cluster, role, database):
    return psycopg.connect(f"host=127.0.0.1 port={cluster.port} user={role} dbname={database}", autocommit=True)


def test_deploy_postgres_init_makes_a_database_per_service_that_only_its_role_reaches(cluster, tmp_path):
    assert "casework" in SERVICES
    secrets_dir = tmp_path / "secrets"
    write_passwords(secrets_dir, SERVICES, "first")
    result = run_script(cluster, secrets_dir)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
        owners = dict(admin.execute("SELECT datname, pg_get_userbyid(datdba) FROM pg_database "
                                    "WHERE datname = ANY(%s)", [list(SERVICES)]).fetchall())
    assert owners == {service: service for service in SERVICES}
    for service in SERVICES:
        with connect(cluster, service, service) as own:
            own.execute("CREATE TABLE IF NOT EXISTS probe (id int)")
        other = next(s for s in SERVICES if s != service)
        with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
            connect(cluster, service, other)


def test_deploy_postgres_init_runs_again_to_add_a_new_service_and_keeps_what_exists(cluster, tmp_path):
    """An installation from before casework: its role and database are added by running the script again;
    the others' roles keep their passwords and their databases their tables."""
    first = tmp_path / "first"
    write_passwords(first, SERVICES, "first")
    assert run_script(cluster, first).returncode == 0
    with connect(cluster, "intake", "intake") as own:
        own.execute("CREATE TABLE IF NOT EXISTS kept (id int)")
    with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS casework")
        admin.execute("DROP ROLE IF EXISTS casework")
        before = dict(admin.execute("SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(%s)",
                                    [list(SERVICES)]).fetchall())
    secrets_dir = tmp_path / "secrets"
    write_passwords(secrets_dir, SERVICES, "second")
    result = run_script(cluster, secrets_dir)
    assert result.returncode == 0, result.stderr
    with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
        after = dict(admin.execute("SELECT rolname, rolpassword FROM pg_authid WHERE rolname = ANY(%s)",
                                   [list(SERVICES)]).fetchall())
        assert admin.execute("SELECT 1 FROM pg_database WHERE datname = 'casework'").fetchone()
    assert set(after) == set(SERVICES)
    assert {k: v for k, v in after.items() if k != "casework"} == before, "an existing role's password changed"
    with connect(cluster, "intake", "intake") as own:
        assert own.execute("SELECT count(*) FROM kept").fetchone() == (0,)
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        connect(cluster, "casework", "intake")
