"""deploy/compose: structure of compose.yaml, the image, the secrets layout and the generator script.

No container engine runs here, so this checks what `docker compose config` would reject plus our own rules:
every long-running container has a health check, app containers use our two images (analytics alone the one with
the analytics extra), ports match docs/metrics.md, and no secret is written in the file.
"""
import re
import shutil
import subprocess

import pytest

from support.deploy_testlib import DEPLOY, SERVICES, make_secrets_command

COMPOSE_DIR = DEPLOY / "compose"
RELAYS = tuple(f"{s}-relay" for s in SERVICES)
INFRA = ("rabbitmq", "postgres", "prometheus", "grafana", "mailpit", "alertmanager")
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|_KEY|KEYS|AMQP_URI|DATABASE_URL)$")
CREDENTIALS_IN_URI = re.compile(r"[a-z+]+://[^/\s:@]+:[^@\s]+@")


@pytest.fixture(scope="module")
def compose(load_yaml):
    return load_yaml(COMPOSE_DIR / "compose.yaml")


def test_deploy_compose_has_every_component(compose):
    services = compose["services"]
    for name in SERVICES + RELAYS + INFRA:
        assert name in services, name
        assert services[name].get("image"), f"{name} has no image"


def test_deploy_compose_app_containers_use_two_images_built_from_the_containerfile(compose):
    """`voorportaal` (no extra) for every container but analytics; `voorportaal-analytics` (EXTRAS=analytics,
    with matplotlib) for analytics only: the other images never carry the plotting stack."""
    apps = {name: compose["services"][name] for name in SERVICES + RELAYS}
    images = {name: app["image"] for name, app in apps.items()}
    assert len({image for name, image in images.items() if name != "analytics"}) == 1
    assert images["analytics"] != images["intake"] and "voorportaal-analytics" in images["analytics"]
    for name, app in apps.items():
        assert app["build"]["dockerfile"] == "deploy/compose/Containerfile"
        assert (COMPOSE_DIR / app["build"]["context"] / app["build"]["dockerfile"]).resolve().is_file()
        assert app["build"]["args"]["EXTRAS"] == ("analytics" if name == "analytics" else "")


def test_deploy_compose_commands_start_each_service_and_relay(compose):
    for name in SERVICES:
        assert compose["services"][name]["command"] == ["python", "-m", f"services.{name}"]
        assert compose["services"][f"{name}-relay"]["command"] == ["python", "-m", "libs.kit.relay", name]


def test_deploy_compose_migrates_each_schema_before_its_service_and_relay_start(compose):
    """A one-shot `<service>-migrate` per service (its own env file: its database and credentials) must finish
    successfully before the service and its relay start; the services then do not migrate themselves and refuse
    an older schema (MIGRATE_ON_START=false, libs/kit/dependencies.py)."""
    services = compose["services"]
    for name in SERVICES:
        migrate = services[f"{name}-migrate"]
        assert migrate["command"] == ["python", "-m", "libs.kit.migrate_cli", name]
        assert migrate["env_file"] == [f"secrets/{name}.env"]
        assert migrate["restart"] == "no" and "healthcheck" not in migrate
        assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
        assert migrate["image"] == services[name]["image"], "the migration runs the service's own code"
        for container in (name, f"{name}-relay"):
            assert services[container]["depends_on"][f"{name}-migrate"] == {
                "condition": "service_completed_successfully"}, container
            assert services[container]["environment"]["MIGRATE_ON_START"] == "false", container
            others = {dep for dep in services[container]["depends_on"] if dep.endswith("-migrate")}
            assert others == {f"{name}-migrate"}, container


def test_deploy_compose_ports_match_the_metrics_contract(compose, metrics_contract):
    for name in SERVICES:
        ops, relay = metrics_contract["ops_ports"][name], metrics_contract["relay_ports"][name]
        service, relay_service = compose["services"][name], compose["services"][f"{name}-relay"]
        assert service["environment"][f"{name.upper()}_METRICS_PORT"] == str(ops)
        assert relay_service["environment"][f"{name.upper()}_RELAY_METRICS_PORT"] == str(relay)
        assert f"127.0.0.1:{ops}/health/ready" in " ".join(service["healthcheck"]["test"])
        assert f"127.0.0.1:{relay}/health/ready" in " ".join(relay_service["healthcheck"]["test"])
        # the ops ports bind to 127.0.0.1 unless told otherwise; Prometheus scrapes them from another container
        assert service["environment"]["OPS_BIND_HOST"] == relay_service["environment"]["OPS_BIND_HOST"] == "0.0.0.0"
    assert compose["services"]["intake"]["environment"]["WEB_SERVER_ADDRESS"].endswith(":8000")
    assert compose["services"]["analytics"]["environment"]["ANALYTICS_WEB_ADDRESS"].endswith(":8004")
    assert compose["services"]["notification"]["environment"]["NOTIFICATION_WEB_ADDRESS"].endswith(":8003")
    assert compose["services"]["casework"]["environment"]["CASEWORK_WEB_ADDRESS"].endswith(":8005")


def test_deploy_compose_the_workspace_is_published_on_loopback_only(compose):
    """Staff reach casework through a tunnel or an internal proxy to the host's 127.0.0.1:8005 (docs/operations.md,
    "Casework"); its port is never on another interface, and no other container publishes it."""
    assert compose["services"]["casework"]["ports"] == ["127.0.0.1:8005:8005"]
    for name, service in compose["services"].items():
        if name != "casework":
            assert not any(str(port).endswith(":8005") for port in service.get("ports", [])), name


def test_deploy_compose_long_running_containers_have_health_checks(compose):
    for name, service in compose["services"].items():
        if service.get("restart") == "no":
            continue  # one-shot jobs
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name} has no health check"
    for name in SERVICES:
        test = " ".join(compose["services"][name]["healthcheck"]["test"])
        assert "/health/ready" in test


def test_deploy_compose_published_ports_are_loopback_only(compose):
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_deploy_compose_volumes_are_named_and_declared(compose):
    declared = set(compose["volumes"])
    used = set()
    for name, service in compose["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (COMPOSE_DIR / source).exists(), f"{name} mounts missing file {source}"
            else:
                assert source in declared, f"{name} uses undeclared volume {source}"
                used.add(source)
    for name in ("rabbitmq-data", "postgres-data", "prometheus-data", "grafana-data"):
        assert name in used


def test_deploy_compose_holds_no_secret(compose):
    text = (COMPOSE_DIR / "compose.yaml").read_text()
    assert not CREDENTIALS_IN_URI.search(text), "credentials inside a URI in compose.yaml"
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                raise AssertionError(f"{name}: secret {key} set inline; use env_file or secrets")
            if key.endswith("_FILE") or key.endswith("__FILE"):
                assert str(value).startswith("/run/secrets/"), f"{name}: {key} must point into /run/secrets"
    for name, secret in compose["secrets"].items():
        assert set(secret) == {"file"} and secret["file"].startswith("./secrets/"), name


def test_deploy_compose_env_files_are_per_service_and_documented(compose):
    for name in SERVICES:
        for container in (name, f"{name}-relay"):
            assert compose["services"][container]["env_file"] == [f"secrets/{name}.env"]
        assert (COMPOSE_DIR / "secrets.example" / f"{name}.env").is_file()
    gitignore = (COMPOSE_DIR / "secrets" / ".gitignore").read_text().split()
    assert gitignore[-2:] == ["*", "!.gitignore"] or ("*" in gitignore and "!.gitignore" in gitignore)


def env_keys(path):
    return {line.split("=", 1)[0] for line in path.read_text().splitlines() if line and not line.startswith("#")}


def test_deploy_make_secrets_writes_consistent_files(tmp_path, compose):
    script = tmp_path / "make-secrets.sh"
    shutil.copy(COMPOSE_DIR / "make-secrets.sh", script)
    subprocess.run(make_secrets_command(script), check=True, capture_output=True)
    secrets_dir = tmp_path / "secrets"
    for secret in compose["secrets"].values():
        path = tmp_path / secret["file"]
        assert path.is_file() and path.read_text(), secret["file"]
    for name in SERVICES:
        written = secrets_dir / f"{name}.env"
        assert env_keys(written) == env_keys(COMPOSE_DIR / "secrets.example" / f"{name}.env")
        text = written.read_text()
        amqp_password = (secrets_dir / f"amqp_{name}_password").read_text()
        db_password = (secrets_dir / f"db_{name}_password").read_text()
        assert f"amqp://svc-{name}:{amqp_password}@rabbitmq:5672/voorportaal" in text
        assert f"postgresql://{name}:{db_password}@postgres:5432/{name}" in text
        assert oct(written.stat().st_mode & 0o777) == oct(0o600)
    # a second run refuses to overwrite
    again = subprocess.run(make_secrets_command(script), capture_output=True, text=True)
    assert again.returncode != 0 and "not overwriting" in again.stderr


@pytest.mark.parametrize("argument", [None, "", "DESK_RECOVERY_PUBLIC_KEY=", "DESK_RECOVERY_PUBLIC_KEY=bm90IGEga2V5",
                                      "A" * 44, "A" * 43 + "=" + "A", "AAAA" * 10 + "AAB="])
def test_deploy_make_secrets_refuses_without_a_valid_recovery_public_key(tmp_path, argument):
    """The recovery key is never invented: its private half opens every case and belongs offline (docs/keys.md
    section 4). Without the operator's public key (or with something that is not 32 bytes of base64) nothing is
    written."""
    script = tmp_path / "make-secrets.sh"
    shutil.copy(COMPOSE_DIR / "make-secrets.sh", script)
    result = subprocess.run(["bash", str(script)] + ([] if argument is None else [argument]),
                            capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert "recovery" in result.stderr or "32-byte" in result.stderr
    assert not (tmp_path / "secrets").exists()


def test_deploy_containerfile_runs_as_non_root():
    text = (COMPOSE_DIR / "Containerfile").read_text()
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1].split(":")[0] not in ("root", "0")
    # third-party packages only from a lock file with hashes; the platform itself without resolving anything
    assert re.search(r"pip install --require-hashes --no-deps [^\n]*-r \"\$lock\"", text)
    assert "requirements/base.txt" in text and "requirements/analytics.txt" in text
    assert re.search(r"pip install --no-deps --no-index --no-build-isolation \.", text)
    assert "clients" not in re.sub(r"#.*", "", text), "the partner client is not part of the images"


def test_deploy_compose_rabbitmq_loads_definitions_with_plugins(compose):
    broker = compose["services"]["rabbitmq"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in broker["volumes"]}
    assert mounts["/etc/rabbitmq/definitions.json"] == "../rabbitmq/definitions.json"
    conf = (COMPOSE_DIR / "rabbitmq" / "rabbitmq.conf").read_text()
    assert "load_definitions = /etc/rabbitmq/definitions.json" in conf
    plugins = (COMPOSE_DIR / "rabbitmq" / "enabled_plugins").read_text()
    assert "rabbitmq_management" in plugins and "rabbitmq_prometheus" in plugins


def compose_validator():
    """`docker compose` (v2) when present, else Debian's `docker-compose` 1.29 (package docker-compose)."""
    docker = shutil.which("docker")
    if docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0:
        return [docker, "compose"], True
    legacy = shutil.which("docker-compose")
    if legacy:
        return [legacy], False
    pytest.skip("neither `docker compose` nor `docker-compose` is installed (Debian package: docker-compose)")


def test_deploy_compose_config_is_accepted_by_docker_compose(tmp_path):
    """`compose config` validates the file against the Compose schema and resolves env files, secrets and
    anchors; it needs no container engine. Run on a copy, with secrets generated by make-secrets.sh."""
    command, knows_project_name = compose_validator()
    shutil.copytree(DEPLOY, tmp_path / "deploy")
    subprocess.run(make_secrets_command(tmp_path / "deploy" / "compose" / "make-secrets.sh"), check=True,
                   capture_output=True)
    compose_file = tmp_path / "deploy" / "compose" / "compose.yaml"
    if not knows_project_name:
        # docker-compose 1.29 predates the top-level `name:` of the Compose Specification; everything else it checks
        text = compose_file.read_text()
        assert text.count("\nname: voorportaal\n") == 1
        compose_file.write_text(text.replace("\nname: voorportaal\n", "\n"))
    result = subprocess.run([*command, "-f", str(compose_file), "--project-name", "voorportaal", "config", "-q"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
