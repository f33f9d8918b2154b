"""What the services read from the environment, found by scanning services/, must be provided by deploy/.

- every secret a service reads (`load_secret("X")`, the complainant-messaging keys, `env("..._KEY"|"...SECRET"...)`)
  is in its compose env example and comes from its Secret in the Kubernetes Deployment: an unset one makes the
  service generate a throw-away value per container, which breaks with several replicas;
- make-secrets.sh writes values the services' own loaders accept (hex keys, the X25519 pair matching);
- every HTTP address a service serves (`WEB_SERVER_ADDRESS=env("X", "host:port")`) listens on 0.0.0.0 in compose
  and Kubernetes on a declared port; the public routes of notification (the mediators' links) reach notification
  through the Ingress, everything of intake reaches intake, and the NetworkPolicies admit the ingress controller to
  exactly those ports;
- the public base URLs the e-mails use name the Ingress host.
"""
import base64
import re
import shutil
import subprocess
from urllib.parse import urlparse

import pytest

from support.deploy_testlib import DEPLOY, ROOT, SERVICES, load_yaml_documents

COMPOSE_DIR = DEPLOY / "compose"
K8S_BASE = DEPLOY / "k8s" / "base"
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|_KEY|KEYS|AMQP_URI|DATABASE_URL)$")
HEX_SECRET = re.compile(r"""\bload_secret\(\s*["']([A-Z0-9_]+)["']""")
ENV_READ = re.compile(r"""\benv\(\s*["']([A-Z0-9_]+)["']""")
MESSAGING_LOADERS = re.compile(r"from libs\.kit\.secrets_store import ([^\n]+)")
WEB_ADDRESS = re.compile(r"""WEB_SERVER_ADDRESS=env\(\s*["']([A-Z0-9_]+)["']\s*,\s*["']([\d.]+):(\d+)["']\)""")
HTTP_ROUTE = re.compile(r"""@http\(\s*["'][A-Z,]+["']\s*,\s*["'](/[^"']*)["']""")


def source_files(service):
    return sorted((ROOT / "services" / service).rglob("*.py"))


def messaging_env_names():
    text = (ROOT / "libs" / "kit" / "secrets_store.py").read_text()
    names = dict(re.findall(r'^MESSAGING_(PRIVATE_ENV|PUBLIC_ENV) = "([A-Z0-9_]+)"', text, re.M))
    assert set(names) == {"PRIVATE_ENV", "PUBLIC_ENV"}, "libs/kit/secrets_store.py changed shape"
    return {"load_messaging_private_key": names["PRIVATE_ENV"], "load_messaging_public_key": names["PUBLIC_ENV"]}


def secrets_read_by(service):
    """{name: kind} with kind "hex" (load_secret), "messaging_private"/"messaging_public", or "other" (env())."""
    found = {}
    loaders = messaging_env_names()
    for path in source_files(service):
        text = path.read_text()
        for name in HEX_SECRET.findall(text):
            found[name] = "hex"
        for imported in MESSAGING_LOADERS.findall(text):
            for loader, name in loaders.items():
                if re.search(rf"\b{loader}\b", imported):
                    found[name] = "messaging_" + loader.split("_")[2]
        for name in ENV_READ.findall(text):
            if SECRET_NAME.search(name):
                found.setdefault(name, "other")
    return found


SECRETS = {service: secrets_read_by(service) for service in SERVICES}


def test_deploy_the_secret_scan_finds_what_is_known_to_exist():
    """Guards the scan itself: if the services' code changes shape, the regular expressions must follow."""
    assert SECRETS["intake"]["RECEIPT_KEY"] == "hex"
    assert SECRETS["intake"]["COMPLAINANT_MESSAGING_PUBLIC_KEY"] == "messaging_public"
    assert "CASE_PUBLIC_KEYS" in SECRETS["intake"]
    assert SECRETS["routing"]["PARTNER_SECRET"] == "hex"
    assert SECRETS["notification"]["NOTIFICATION_LINK_SECRET"] == "hex"
    assert SECRETS["notification"]["NOTIFICATION_WEBHOOK_SECRET"] == "hex"
    assert SECRETS["notification"]["COMPLAINANT_MESSAGING_PRIVATE_KEY"] == "messaging_private"
    assert "SMTP_PASSWORD" in SECRETS["notification"]
    assert SECRETS["analytics"]["ANALYTICS_REPORT_TOKEN"] == "hex"
    assert "COMPLAINANT_MESSAGING_PRIVATE_KEY" not in SECRETS["intake"], "intake must never hold the private key"


def env_keys(path):
    return {line.split("=", 1)[0] for line in path.read_text().splitlines() if line and not line.startswith("#")}


def k8s_resources():
    resources = []
    kustomization = load_yaml_documents(K8S_BASE / "kustomization.yaml")[0]
    for entry in kustomization["resources"]:
        resources.extend(load_yaml_documents(K8S_BASE / entry))
    return resources


def of_kind(kind):
    return {r["metadata"]["name"]: r for r in k8s_resources() if r["kind"] == kind}


def container_of(deployment):
    return deployment["spec"]["template"]["spec"]["containers"][0]


@pytest.mark.parametrize("service", SERVICES)
def test_deploy_every_secret_a_service_reads_is_provided_by_compose_and_kubernetes(service):
    wanted = set(SECRETS[service])
    example = env_keys(COMPOSE_DIR / "secrets.example" / f"{service}.env")
    assert wanted <= example, f"missing in secrets.example/{service}.env: {sorted(wanted - example)}"
    container = container_of(of_kind("Deployment")[service])
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"] if "valueFrom" in e}
    assert wanted <= set(refs), f"missing in the {service} Deployment: {sorted(wanted - set(refs))}"
    for name in wanted:
        assert refs[name] == {**refs[name], "name": f"voorportaal-{service}", "key": name}, name
        if SECRETS[service][name] != "other":
            # a missing key must stop the pod, not let it generate a throw-away value per replica
            assert not refs[name].get("optional"), f"{service}: {name} is optional"
    header = (K8S_BASE / f"{service}.yaml").read_text().split("\n---", 1)[0]
    for name in refs:
        assert name in header, f"{service}.yaml's header comment does not list the Secret key {name}"


def test_deploy_the_messaging_private_key_goes_to_notification_only():
    private = messaging_env_names()["load_messaging_private_key"]
    readers = {service for service, names in SECRETS.items() if private in names}
    assert readers == {"notification"}
    for service in set(SERVICES) - readers:
        assert private not in env_keys(COMPOSE_DIR / "secrets.example" / f"{service}.env")
    for deployment in of_kind("Deployment").values():
        names = {e["name"] for c in deployment["spec"]["template"]["spec"]["containers"] for e in c.get("env", [])}
        if private in names:
            assert deployment["metadata"]["name"] == "notification"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """make-secrets.sh run once in a scratch copy: {service: {key: value}} and the secrets directory."""
    where = tmp_path_factory.mktemp("make-secrets")
    shutil.copy(COMPOSE_DIR / "make-secrets.sh", where / "make-secrets.sh")
    subprocess.run(["bash", str(where / "make-secrets.sh")], check=True, capture_output=True, timeout=60)
    secrets_dir = where / "secrets"
    values = {}
    for service in SERVICES:
        lines = (secrets_dir / f"{service}.env").read_text().splitlines()
        values[service] = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return values, secrets_dir


def test_deploy_make_secrets_leaves_no_key_material_behind(generated):
    _, secrets_dir = generated
    leftovers = [p.name for p in secrets_dir.iterdir()
                 if not (p.name.endswith(".env") or p.name.endswith("_password"))]
    assert not leftovers, f"make-secrets.sh left {leftovers} in secrets/"
    for path in secrets_dir.iterdir():
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"


@pytest.mark.parametrize("service", SERVICES)
def test_deploy_make_secrets_values_load_with_the_services_own_loaders(generated, service, monkeypatch, tmp_path):
    from libs.kit import config, secrets_store

    values, _ = generated
    monkeypatch.setattr(config, "VAR_DIR", tmp_path / "var")  # a fallback would write here: it must not happen
    for name, kind in SECRETS[service].items():
        value = values[service][name]
        if kind == "hex":
            assert re.fullmatch(r"[0-9a-f]{64}", value), f"{name} is not 32 bytes of hex"
            monkeypatch.setenv(name, value)
            assert secrets_store.load_secret(name) == bytes.fromhex(value)
        elif kind.startswith("messaging_"):
            assert len(base64.b64decode(value, validate=True)) == 32, name
            monkeypatch.setenv(name, value)
            loader = (secrets_store.load_messaging_private_key if kind == "messaging_private"
                      else secrets_store.load_messaging_public_key)
            assert loader() == base64.b64decode(value)
    assert not (tmp_path / "var").exists(), "a loader fell back to generating a throw-away secret"


def test_deploy_make_secrets_hex_keys_are_all_different(generated):
    values, _ = generated
    hex_values = [values[s][n] for s in SERVICES for n, kind in SECRETS[s].items() if kind == "hex"]
    assert len(hex_values) == len(set(hex_values)) >= 6


def test_deploy_make_secrets_messaging_pair_matches_and_opens_what_intake_seals(generated):
    from nacl.public import PrivateKey

    from libs.contracts import messaging_keys

    values, _ = generated
    names = messaging_env_names()
    private = base64.b64decode(values["notification"][names["load_messaging_private_key"]], validate=True)
    public = base64.b64decode(values["intake"][names["load_messaging_public_key"]], validate=True)
    assert bytes(PrivateKey(private).public_key) == public
    sealed = messaging_keys.seal_contact(public, "VP-TEST-0001", "person@example.org")
    assert messaging_keys.open_contact(private, "VP-TEST-0001", sealed) == "person@example.org"


# --- HTTP addresses, Ingress, NetworkPolicy ------------------------------------------------------------------


def web_addresses():
    """{service: (env name, port)} for every service that serves HTTP."""
    found = {}
    for service in SERVICES:
        for path in source_files(service):
            for name, _host, port in WEB_ADDRESS.findall(path.read_text()):
                found[service] = (name, int(port))
    return found


def test_deploy_http_addresses_are_found_in_the_services():
    assert web_addresses() == {"intake": ("WEB_SERVER_ADDRESS", 8000), "notification": ("NOTIFICATION_WEB_ADDRESS", 8003),
                               "analytics": ("ANALYTICS_WEB_ADDRESS", 8004)}


@pytest.mark.parametrize("service", sorted(web_addresses()))
def test_deploy_http_addresses_listen_on_all_interfaces_on_a_declared_port(service, load_yaml):
    name, port = web_addresses()[service]
    compose = load_yaml(COMPOSE_DIR / "compose.yaml")["services"][service]
    assert compose["environment"][name] == f"0.0.0.0:{port}", f"compose: {service} would listen on loopback"
    assert f"127.0.0.1:{port}:{port}" in compose["ports"]
    container = container_of(of_kind("Deployment")[service])
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env.get(name) == f"0.0.0.0:{port}", f"k8s: {service} would listen on loopback"
    assert {"name": "http", "containerPort": port} in container["ports"]
    assert {"name": "http", "port": port, "targetPort": "http"} in of_kind("Service")[service]["spec"]["ports"]
    exposed = re.search(r"^EXPOSE (.+)$", (COMPOSE_DIR / "Containerfile").read_text(), re.M).group(1).split()
    assert str(port) in exposed


def route_prefixes(service):
    """The literal part of each HTTP route of a service, up to its first path parameter."""
    prefixes = set()
    for path in source_files(service):
        for route in HTTP_ROUTE.findall(path.read_text()):
            prefixes.add(route.split("<", 1)[0])
    return prefixes


def ingress_backend(ingress, host, path):
    """The (service, port name) Kubernetes routes `path` on `host` to (pathType Prefix: longest element-wise match)."""
    parts = [p for p in path.split("/") if p]
    best = None
    for rule in ingress["spec"]["rules"]:
        if rule.get("host") != host:
            continue
        for entry in rule["http"]["paths"]:
            assert entry["pathType"] == "Prefix", entry
            prefix = [p for p in entry["path"].split("/") if p]
            if parts[: len(prefix)] == prefix and (best is None or len(prefix) > best[0]):
                best = (len(prefix), entry["backend"]["service"])
    return best and (best[1]["name"], best[1]["port"]["name"])


def public_host():
    (ingress,) = of_kind("Ingress").values()
    (rule,) = ingress["spec"]["rules"]
    return ingress, rule["host"]


def test_deploy_ingress_sends_the_mediator_links_to_notification_and_the_rest_to_intake():
    ingress, host = public_host()
    links = route_prefixes("notification")
    assert "/mediator/links/" in links
    for prefix in links:
        assert ingress_backend(ingress, host, prefix + "some-token") == ("notification", "http"), prefix
    for prefix in route_prefixes("intake"):
        assert ingress_backend(ingress, host, prefix + "x") == ("intake", "http"), f"intake's {prefix} goes elsewhere"
    # nothing else of notification is public: every path routed to it is one of its routes
    for rule in ingress["spec"]["rules"]:
        for entry in rule["http"]["paths"]:
            if entry["backend"]["service"]["name"] == "notification":
                assert entry["path"] in links, entry["path"]
    assert host in {h for tls in ingress["spec"]["tls"] for h in tls["hosts"]}


def test_deploy_networkpolicy_admits_the_ingress_controller_to_the_ingress_backends_only():
    deployments, services = of_kind("Deployment"), of_kind("Service")
    ingress, _ = public_host()
    wanted = set()
    for rule in ingress["spec"]["rules"]:
        for entry in rule["http"]["paths"]:
            backend = entry["backend"]["service"]
            (port,) = [p for p in services[backend["name"]]["spec"]["ports"] if p["name"] == backend["port"]["name"]]
            container = container_of(deployments[backend["name"]])
            (target,) = [p["containerPort"] for p in container["ports"] if p["name"] == port["targetPort"]]
            wanted.add((backend["name"], target))
    admitted = set()
    for policy in of_kind("NetworkPolicy").values():
        selected = policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
        for rule in policy["spec"].get("ingress", []):
            from_controller = any(peer.get("namespaceSelector", {}).get("matchLabels", {}).get(
                "kubernetes.io/metadata.name") == "ingress-nginx" for peer in rule.get("from", []))
            if from_controller:
                assert selected and rule.get("ports"), f"{policy['metadata']['name']} admits the controller too widely"
                admitted |= {(selected, p["port"]) for p in rule["ports"]}
    assert admitted == wanted
    assert ("notification", 8003) in admitted


def test_deploy_public_base_urls_name_the_ingress_host_and_the_compose_ports(load_yaml):
    _, host = public_host()
    config = of_kind("ConfigMap")["voorportaal-config"]["data"]
    for name in ("PUBLIC_BASE_URL", "NOTIFICATION_BASE_URL"):
        url = urlparse(config[name])
        assert (url.scheme, url.hostname, url.path.rstrip("/")) == ("https", host, ""), name
    assert config["NOTIFICATION_WEBHOOK_ALLOWLIST"] == "", "webhooks are opt-in per installation"
    assert config["NOTIFICATION_COORDINATOR_EMAIL"].endswith("@" + host)
    compose = load_yaml(COMPOSE_DIR / "compose.yaml")["services"]
    for service, name in (("intake", "PUBLIC_BASE_URL"), ("notification", "NOTIFICATION_BASE_URL")):
        value = compose["notification"]["environment"][name]
        default = re.fullmatch(r"\$\{" + name + r":-([^}]+)\}", value)
        assert default, f"compose: {name} must be overridable from the environment"
        port = web_addresses()[service][1]
        assert default.group(1) == f"http://127.0.0.1:{port}", name


def test_deploy_kustomize_renders_the_production_overlay():
    """`kubectl kustomize` (kustomize built into kubectl; no cluster needed) builds the overlay, and every built-in
    object it renders validates against the OpenAPI schemas when kubernetes-validate is installed."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    result = subprocess.run([kubectl, "kustomize", str(DEPLOY / "k8s" / "overlays" / "production")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    import yaml
    rendered = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    (ingress,) = [r for r in rendered if r["kind"] == "Ingress"]
    assert ingress["metadata"]["namespace"] == "voorportaal"
    assert ingress_backend(ingress, ingress["spec"]["rules"][0]["host"], "/mediator/links/x") == ("notification", "http")
    try:
        import kubernetes_validate
    except ImportError:
        return
    version = kubernetes_validate.latest_version()
    builtin = {"Namespace", "ConfigMap", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
               "Ingress", "NetworkPolicy"}
    for resource in rendered:
        if resource["kind"] in builtin:
            kubernetes_validate.validate(resource, version, strict=True)
