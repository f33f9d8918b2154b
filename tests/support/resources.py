"""Creating and removing the per-run broker vhost and database (management API / psql over TCP)."""
import requests
import psycopg

MANAGEMENT = "http://127.0.0.1:15672/api"
AUTH = ("guest", "guest")


def create_vhost(name):
    requests.put(f"{MANAGEMENT}/vhosts/{name}", auth=AUTH, timeout=10).raise_for_status()
    requests.put(f"{MANAGEMENT}/permissions/{name}/guest", auth=AUTH, timeout=10,
                 json={"configure": ".*", "write": ".*", "read": ".*"}).raise_for_status()


def delete_vhost(name):
    requests.delete(f"{MANAGEMENT}/vhosts/{name}", auth=AUTH, timeout=30)


def queue_info(vhost, queue):
    response = requests.get(f"{MANAGEMENT}/queues/{vhost}/{queue}", auth=AUTH, timeout=10)
    response.raise_for_status()
    return response.json()


def handler_backlog(vhost) -> int:
    """Messages waiting in or being handled from the services' handler queues (`evt-…`) of a vhost: partner
    queues and dead letters are nobody's work in progress. The management API's counts lag by a few seconds."""
    response = requests.get(f"{MANAGEMENT}/queues/{vhost}", params={"columns": "name,messages"}, auth=AUTH,
                            timeout=10)
    response.raise_for_status()
    return sum(queue.get("messages") or 0 for queue in response.json() if queue["name"].startswith("evt-"))


def create_database(name):
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
