#!/bin/bash
# First start of the compose PostgreSQL only (docker-entrypoint-initdb.d): one role and one database per service.
# Each service owns its data and cannot read another's tables. Passwords come from Docker secrets.
set -euo pipefail
for service in intake routing notification analytics; do
    password="$(cat "/run/secrets/db_${service}_password")"
    psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
         -v service="$service" -v password="$password" <<'SQL'
CREATE ROLE :"service" LOGIN PASSWORD :'password';
CREATE DATABASE :"service" OWNER :"service";
REVOKE ALL ON DATABASE :"service" FROM PUBLIC;
SQL
done
