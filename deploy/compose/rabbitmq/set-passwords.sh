#!/bin/bash
# Sets the passwords of the users that deploy/rabbitmq/definitions.json creates without one.
# Reads Docker secrets (/run/secrets/amqp_<service>_password, /run/secrets/rabbitmq_ops_admin_password) and talks
# to the broker node over Erlang distribution (the cookie comes from the broker's data volume, mounted read-only).
# Partner passwords are NOT set here: they are handed to each partner at onboarding (docs/operations.md).
set -euo pipefail
node="${RABBITMQ_NODE:-rabbit@rabbitmq}"
export HOME=/var/lib/rabbitmq

set_password() {
    local user="$1" file="$2"
    if [[ ! -s "$file" ]]; then
        echo "missing secret $file for $user" >&2
        exit 1
    fi
    # the password goes through stdin, so it never shows in a process list
    rabbitmqctl --node "$node" change_password "$user" < "$file" > /dev/null
    echo "password set for $user"
}

for service in intake routing notification analytics casework; do
    set_password "svc-$service" "/run/secrets/amqp_${service}_password"
done
set_password ops-admin /run/secrets/rabbitmq_ops_admin_password
