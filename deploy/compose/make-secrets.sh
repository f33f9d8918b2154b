#!/bin/bash
# Creates deploy/compose/secrets/ with random passwords and keys, consistent across the files that share them
# (the DATABASE_URL and AMQP_URI in each service's env file match the passwords given to PostgreSQL and RabbitMQ).
# Usage: make-secrets.sh [case-handler.pub]
# Needs bash, base64, od and openssl (1.1.1 or later, for the X25519 complainant-messaging key pair).
# Refuses to overwrite existing secrets: rotation is a runbook (docs/operations.md, "Rotate keys").
set -euo pipefail
cd "$(dirname "$0")"
dir=secrets
mkdir -p "$dir"
chmod 700 "$dir"
if [[ -e "$dir/intake.env" ]]; then
    echo "$dir/ already holds secrets; not overwriting (see docs/operations.md, 'Rotate keys')" >&2
    exit 1
fi
# 32 random bytes: URL-safe base64 for passwords (they go into URIs), hex for everything the services read with
# services.common.secrets_store.load_secret (keys and the analytics report token)
random() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
hexkey() { head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
command -v openssl >/dev/null || { echo "openssl is needed (X25519 key pair)" >&2; exit 1; }
umask 077
random > "$dir/postgres_password"
random > "$dir/grafana_admin_password"
random > "$dir/rabbitmq_ops_admin_password"
# Alertmanager's SMTP password: unused with Mailpit (no smtp_auth_username in deploy/alertmanager/alertmanager.yml);
# put the relay's password here when alerts go through a real relay
random > "$dir/alertmanager_smtp_password"
for service in intake routing notification analytics; do
    db="$(random)"; amqp="$(random)"
    printf '%s' "$db" > "$dir/db_${service}_password"
    printf '%s' "$amqp" > "$dir/amqp_${service}_password"
    upper="$(echo "$service" | tr a-z A-Z)"
    {
        echo "AMQP_URI=amqp://svc-${service}:${amqp}@rabbitmq:5672/voorportaal"
        echo "${upper}_DATABASE_URL=postgresql://${service}:${db}@postgres:5432/${service}"
    } > "$dir/${service}.env"
done
case_keys=""
if [[ -n "${1:-}" ]]; then
    case_keys="$(tr -d '[:space:]' < "$1")"   # a case handler's .pub from `voorportaal-case keygen`
fi
# The complainant-messaging key pair (raw 32-byte X25519 = NaCl keys, base64): intake seals a person's e-mail
# address to the public half, only notification holds the private half. The PEM lives in a temporary file
# (mode 0600 by the umask) that is removed again; only the two base64 values are kept.
pem="$(mktemp "$dir/.x25519.XXXXXX")"
trap 'rm -f "$pem"' EXIT
openssl genpkey -algorithm X25519 -out "$pem"
messaging_private="$(openssl pkey -in "$pem" -outform DER | tail -c 32 | base64 | tr -d '\n')"
messaging_public="$(openssl pkey -in "$pem" -pubout -outform DER | tail -c 32 | base64 | tr -d '\n')"
rm -f "$pem"
{
    echo "RECEIPT_KEY=$(hexkey)"
    echo "CASE_PUBLIC_KEYS=${case_keys}"
    echo "COMPLAINANT_MESSAGING_PUBLIC_KEY=${messaging_public}"
} >> "$dir/intake.env"
echo "PARTNER_SECRET=$(hexkey)" >> "$dir/routing.env"
{
    echo "SMTP_USERNAME="
    echo "SMTP_PASSWORD="
    echo "NOTIFICATION_LINK_SECRET=$(hexkey)"      # signs the mediators' links: every replica needs the same one
    echo "NOTIFICATION_WEBHOOK_SECRET=$(hexkey)"   # signs webhooks; receivers get it to verify
    echo "COMPLAINANT_MESSAGING_PRIVATE_KEY=${messaging_private}"
} >> "$dir/notification.env"
{
    echo "ANALYTICS_PSEUDONYM_KEY=$(hexkey)"
    echo "ANALYTICS_REPORT_TOKEN=$(hexkey)"        # read with load_secret: hex, like the keys
} >> "$dir/analytics.env"
echo "secrets written to $(pwd)/$dir"
if [[ -z "$case_keys" ]]; then
    echo "CASE_PUBLIC_KEYS is empty: intake will generate a DEMO key pair on its own volume. For real use run" \
         "'voorportaal-case keygen' on the case handlers' machine and put the .pub in $dir/intake.env" >&2
fi
