#!/bin/bash
# One role and one database per service; each service owns its data and cannot connect to another's database.
# Passwords come from Docker secrets (/run/secrets/db_<service>_password).
# Runs by itself on the compose PostgreSQL's first start (docker-entrypoint-initdb.d). It is idempotent: a role or
# database that exists is left as it is (its password too), so on an installation that predates a service run it
# again to add that service's role and database (docs/operations.md, "Casework"):
#   docker compose -f deploy/compose/compose.yaml exec postgres bash /docker-entrypoint-initdb.d/10-voorportaal-databases.sh
set -euo pipefail
secrets_dir="${VOORPORTAAL_DB_SECRETS_DIR:-/run/secrets}"
for service in intake routing notification analytics casework; do
    password="$(cat "${secrets_dir}/db_${service}_password")"
    psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
         -v service="$service" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'service', :'password')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'service')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'service', :'service')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'service')\gexec
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
SQL
done
