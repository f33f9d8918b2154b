#!/bin/bash
# Creates deploy/compose/secrets/ with random passwords and keys, consistent across the files that share them
# (the DATABASE_URL and AMQP_URI in each service's env file match the passwords given to PostgreSQL and RabbitMQ).
#
# Usage: make-secrets.sh DESK_RECOVERY_PUBLIC_KEY=<base64>      (or the bare base64 value)
#
# The desk's recovery key is the one key this script never makes: its private half opens every case and must never
# be on a server. Two people make the pair on an offline laptop (docs/keys.md, section 4):
#   voorportaal-casework recovery keygen --out /media/usb-stick
# which prints the line DESK_RECOVERY_PUBLIC_KEY=...; pass that line (a public key: not secret). For a throw-away
# demo, make a pair the same way into a scratch directory and delete it with the demo. Without a valid public key
# the script refuses and writes nothing.
# Needs bash, base64, od and openssl (1.1.1 or later, for the X25519 complainant-messaging key pair).
# Refuses to overwrite existing secrets: rotation is a runbook (docs/operations.md, "Rotate keys").
set -euo pipefail
cd "$(dirname "$0")"
dir=secrets
usage="usage: $0 DESK_RECOVERY_PUBLIC_KEY=<base64 of the 32-byte public key> (docs/keys.md, section 4)"
recovery="${1:-}"
recovery="${recovery#DESK_RECOVERY_PUBLIC_KEY=}"
if [[ -z "$recovery" ]]; then
    echo "the desk's recovery public key is required; make the pair OFFLINE with" \
         "'voorportaal-casework recovery keygen' and pass the line it prints. $usage" >&2
    exit 2
fi
# standard base64 of exactly 32 bytes: 43 characters and one '='
if ! [[ "$recovery" =~ ^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$ ]] \
        || [[ "$(printf '%s' "$recovery" | base64 -d 2>/dev/null | wc -c)" -ne 32 ]]; then
    echo "not a 32-byte base64 public key: $usage" >&2
    exit 2
fi
if [[ -e "$dir/intake.env" ]]; then
    echo "$dir/ already holds secrets; not overwriting (see docs/operations.md, 'Rotate keys')" >&2
    exit 1
fi
command -v openssl >/dev/null || { echo "openssl is needed (X25519 key pair)" >&2; exit 1; }
mkdir -p "$dir"
chmod 700 "$dir"
# 32 random bytes: URL-safe base64 for passwords (they go into URIs), hex for everything the services read with
# libs.kit.secrets_store.load_secret (keys and the analytics report token)
random() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
hexkey() { head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n'; }
umask 077
random > "$dir/postgres_password"
random > "$dir/grafana_admin_password"
random > "$dir/rabbitmq_ops_admin_password"
# Alertmanager's SMTP password: unused with Mailpit (no smtp_auth_username in deploy/alertmanager/alertmanager.yml);
# put the relay's password here when alerts go through a real relay
random > "$dir/alertmanager_smtp_password"
for service in intake routing notification analytics casework; do
    db="$(random)"; amqp="$(random)"
    printf '%s' "$db" > "$dir/db_${service}_password"
    printf '%s' "$amqp" > "$dir/amqp_${service}_password"
    upper="$(echo "$service" | tr a-z A-Z)"
    {
        echo "AMQP_URI=amqp://svc-${service}:${amqp}@rabbitmq:5672/voorportaal"
        echo "${upper}_DATABASE_URL=postgresql://${service}:${db}@postgres:5432/${service}"
    } > "$dir/${service}.env"
done
# The complainant-messaging key pair (raw 32-byte X25519 = NaCl keys, base64): intake seals a person's e-mail
# address to the public half, only notification holds the private half. The PEM lives in a temporary file
# (mode 0600 by the umask) that is removed again; only the two base64 values are kept.
pem="$(mktemp "$dir/.x25519.XXXXXX")"
trap 'rm -f "$pem"' EXIT
openssl genpkey -algorithm X25519 -out "$pem"
messaging_private="$(openssl pkey -in "$pem" -outform DER | tail -c 32 | base64 | tr -d '\n')"
messaging_public="$(openssl pkey -in "$pem" -pubout -outform DER | tail -c 32 | base64 | tr -d '\n')"
rm -f "$pem"
# intake seals complaints for the key directory casework publishes: it holds no case key of its own
{
    echo "RECEIPT_KEY=$(hexkey)"
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
{
    echo "CASEWORK_SECRET=$(hexkey)"               # second-factor secrets, recovery-code and throttling hashes
    echo "DESK_RECOVERY_PUBLIC_KEY=${recovery}"    # public half only; the private half stays offline
} >> "$dir/casework.env"
echo "secrets written to $(pwd)/$dir"
echo "casework: add the first administrator once the stack runs (docs/operations.md, 'Casework'):" \
     "docker compose -f deploy/compose/compose.yaml exec casework voorportaal-casework accounts add <e-mail>" \
     "--name <name> --role administrator"
