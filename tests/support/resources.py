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


def create_database(name):
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(name):
    with psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
