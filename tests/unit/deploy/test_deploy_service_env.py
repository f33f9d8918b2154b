"""What the services read from the environment, found by scanning services/, must be provided by deploy/.

- every secret a service reads (`load_secret("X")`, the complainant-messaging keys, `env("..._KEY"|"...SECRET"...)`,
  also through a module constant: `X_ENV = "X"` ... `env(X_ENV)`) is in its compose env example and comes from its
  Secret in the Kubernetes Deployment: an unset one makes the service generate a throw-away value per container,
  which breaks with several replicas;
- make-secrets.sh writes values the services' own loaders accept (hex keys, the X25519 pair matching, the desk's
  recovery public key exactly as the operator gave it: the script never makes that key);
- every HTTP address a service serves (`WEB_SERVER_ADDRESS=env("X", "host:port")`) listens on 0.0.0.0 in compose
  and Kubernetes on a declared port; the public routes of notification (the mediators' links) reach notification
  through the public Gateway's HTTPRoute, everything of intake reaches intake, the report reaches analytics through
  the internal Gateway, the staff workspace (casework) reaches casework on a host of its own on the internal
  Gateway's https listener and nowhere else, and the NetworkPolicies admit each Gateway's data plane (pods and
  namespaces labelled voorportaal/gateway=<public|internal>, no controller named) to exactly those ports;
- the public base URLs the e-mails use name the public Gateway's host.
"""
import base64
import re
import shutil
import subprocess
from urllib.parse import urlparse

import pytest

from support.deploy_testlib import DEPLOY, ROOT, SERVICES, load_yaml_documents, make_secrets_command, recovery_public_key

COMPOSE_DIR = DEPLOY / "compose"
K8S_BASE = DEPLOY / "k8s" / "base"
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|_KEY|KEYS|AMQP_URI|DATABASE_URL)$")
HEX_SECRET = re.compile(r"""\bload_secret\(\s*["']([A-Z0-9_]+)["']""")
ENV_READ = re.compile(r"""\benv\(\s*["']([A-Z0-9_]+)["']""")
# a variable named by a module constant: RECOVERY_ENV = "DESK_RECOVERY_PUBLIC_KEY" ... env(RECOVERY_ENV)
ENV_CONSTANT = re.compile(r"""^([A-Z][A-Z0-9_]*)\s*=\s*["']([A-Z][A-Z0-9_]*)["']\s*$""", re.M)
ENV_READ_BY_CONSTANT = re.compile(r"""\benv\(\s*([A-Z][A-Z0-9_]*)\s*[,)]""")
KEY_DECODED = r"""\bdecode_key\(\s*{}\b"""
MESSAGING_LOADERS = re.compile(r"from libs\.kit\.secrets_store import ([^\n]+)")
# the address a service's HTTP server listens on: WEB_SERVER_ADDRESS=env("X", "host:port") in service.py, or
# env("<NAME>_WEB_ADDRESS", "host:port") in its settings
WEB_ADDRESS = re.compile(r"""\benv\(\s*["']([A-Z0-9_]*WEB(?:_SERVER)?_ADDRESS)["']\s*,\s*["']([\d.]+):(\d+)["']\)""")
HTTP_ROUTE = re.compile(r"""@http\(\s*["'][A-Z,]+["']\s*,\s*["'](/[^"']*)["']""")


def source_files(service):
    return sorted((ROOT / "services" / service).rglob("*.py"))


def messaging_env_names():
    text = (ROOT / "libs" / "kit" / "secrets_store.py").read_text()
    names = dict(re.findall(r'^MESSAGING_(PRIVATE_ENV|PUBLIC_ENV) = "([A-Z0-9_]+)"', text, re.M))
    assert set(names) == {"PRIVATE_ENV", "PUBLIC_ENV"}, "libs/kit/secrets_store.py changed shape"
    return {"load_messaging_private_key": names["PRIVATE_ENV"], "load_messaging_public_key": names["PUBLIC_ENV"]}


def secrets_read_by(service):
    """{name: kind} with kind "hex" (load_secret), "messaging_private"/"messaging_public", "public_key" (a base64
    32-byte key read through a constant and libs.kit.secrets_store.decode_key), or "other" (env())."""
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
        constants = dict(ENV_CONSTANT.findall(text))
        for constant in ENV_READ_BY_CONSTANT.findall(text):
            name = constants.get(constant)
            if name and SECRET_NAME.search(name):
                decoded = re.search(KEY_DECODED.format(constant), text)
                found[name] = "public_key" if decoded else found.get(name, "other")
    return found


SECRETS = {service: secrets_read_by(service) for service in SERVICES}


def test_deploy_the_secret_scan_finds_what_is_known_to_exist():
    """Guards the scan itself: if the services' code changes shape, the regular expressions must follow."""
    assert SECRETS["intake"]["RECEIPT_KEY"] == "hex"
    assert SECRETS["intake"]["COMPLAINANT_MESSAGING_PUBLIC_KEY"] == "messaging_public"
    assert "CASE_PUBLIC_KEYS" not in SECRETS["intake"], "intake seals for casework's key directory now"
    assert SECRETS["routing"]["PARTNER_SECRET"] == "hex"
    assert SECRETS["notification"]["NOTIFICATION_LINK_SECRET"] == "hex"
    assert SECRETS["notification"]["NOTIFICATION_WEBHOOK_SECRET"] == "hex"
    assert SECRETS["notification"]["COMPLAINANT_MESSAGING_PRIVATE_KEY"] == "messaging_private"
    assert "SMTP_PASSWORD" in SECRETS["notification"]
    assert SECRETS["analytics"]["ANALYTICS_REPORT_TOKEN"] == "hex"
    assert "COMPLAINANT_MESSAGING_PRIVATE_KEY" not in SECRETS["intake"], "intake must never hold the private key"
    assert SECRETS["casework"] == {"CASEWORK_SECRET": "hex", "DESK_RECOVERY_PUBLIC_KEY": "public_key"}


def test_deploy_case_public_keys_are_gone_from_every_deployment():
    """Intake seals for the key directory casework publishes: no deployment hands it case keys any more."""
    for path in DEPLOY.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".yml", ".json", ".env", ".sh", ""):
            assert "CASE_PUBLIC_KEYS" not in path.read_text(errors="replace"), path


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
    recovery = recovery_public_key()
    subprocess.run(make_secrets_command(where / "make-secrets.sh", recovery), check=True, capture_output=True,
                   timeout=60)
    secrets_dir = where / "secrets"
    values = {}
    for service in SERVICES:
        lines = (secrets_dir / f"{service}.env").read_text().splitlines()
        values[service] = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    values["_recovery_given"] = recovery
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
        elif kind == "public_key":
            assert secrets_store.decode_key(name, value) == base64.b64decode(value, validate=True)
            monkeypatch.setenv(name, value)
    assert not (tmp_path / "var").exists(), "a loader fell back to generating a throw-away secret"


def test_deploy_make_secrets_casework_settings_load_with_the_operators_recovery_key(generated, monkeypatch, tmp_path):
    """Casework's own settings accept the generated env file as it is, use the recovery public key the operator
    gave (make-secrets.sh never makes one), and generate nothing: without DESK_RECOVERY_PUBLIC_KEY casework would
    make a demo pair on its disk."""
    from libs.kit import config
    from services.casework import settings

    values, secrets_dir = generated
    monkeypatch.setattr(config, "VAR_DIR", tmp_path / "var")
    for name, value in values["casework"].items():
        monkeypatch.setenv(name, value)
    settings.load.cache_clear()
    try:
        loaded = settings.load()
    finally:
        settings.load.cache_clear()
    assert loaded.recovery_public_key == base64.b64decode(values["_recovery_given"])
    assert loaded.secret == bytes.fromhex(values["casework"]["CASEWORK_SECRET"])
    assert not (tmp_path / "var").exists(), "casework generated a recovery pair or a secret"
    assert values["casework"]["DESK_RECOVERY_PUBLIC_KEY"] == values["_recovery_given"]
    assert not any("recovery" in path.name for path in secrets_dir.iterdir()), "no recovery key file is written"


def test_deploy_make_secrets_hex_keys_are_all_different(generated):
    values, _ = generated
    hex_values = [values[s][n] for s in SERVICES for n, kind in SECRETS[s].items() if kind == "hex"]
    assert len(hex_values) == len(set(hex_values)) >= 7


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


# --- HTTP addresses, Gateway API routes, NetworkPolicy -------------------------------------------------------


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
                               "analytics": ("ANALYTICS_WEB_ADDRESS", 8004), "casework": ("CASEWORK_WEB_ADDRESS", 8005)}


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


GATEWAY_LABEL = "voorportaal/gateway"


def route_backend(routes, host, path):
    """The (Service, port) the HTTPRoutes send `path` on `host` to: PathPrefix matches whole path elements and the
    longest prefix wins (Gateway API, HTTPRoute path matching)."""
    parts = [p for p in path.split("/") if p]
    best = None
    for route in routes:
        if host not in route["spec"].get("hostnames", [host]):
            continue
        for rule in route["spec"]["rules"]:
            for match in rule.get("matches", [{"path": {"type": "PathPrefix", "value": "/"}}]):
                assert match["path"]["type"] == "PathPrefix", match
                prefix = [p for p in match["path"]["value"].split("/") if p]
                if parts[: len(prefix)] == prefix and (best is None or len(prefix) > best[0]):
                    (backend,) = rule["backendRefs"]
                    best = (len(prefix), (backend["name"], backend["port"]))
    return best and best[1]


def https_listeners(gateway):
    """{listener name: (its host, the HTTPRoutes attached to it)} for each https listener of the gateway."""
    found = {}
    for listener in of_kind("Gateway")[gateway]["spec"]["listeners"]:
        if listener["protocol"] == "HTTPS":
            routes = [r for r in of_kind("HTTPRoute").values()
                      if any(ref["name"] == gateway and ref.get("sectionName") == listener["name"]
                             for ref in r["spec"]["parentRefs"])]
            found[listener["name"]] = (listener["hostname"], routes)
    return found


def gateway_routes(gateway, listener="https"):
    """(host of the gateway's https listener, the HTTPRoutes attached to that listener)."""
    return https_listeners(gateway)[listener]


def backends(routes):
    return {b["name"] for r in routes for rule in r["spec"]["rules"] for b in rule.get("backendRefs", [])}


def test_deploy_public_route_sends_the_mediator_links_to_notification_and_the_rest_to_intake():
    host, routes = gateway_routes("public")
    links = route_prefixes("notification")
    assert "/mediator/links/" in links
    for prefix in links:
        assert route_backend(routes, host, prefix + "some-token") == ("notification", 8003), prefix
    for prefix in route_prefixes("intake"):
        assert route_backend(routes, host, prefix + "x") == ("intake", 8000), f"intake's {prefix} goes elsewhere"
    # nothing else of notification is public: every path routed to it is one of its routes
    for route in routes:
        for rule in route["spec"]["rules"]:
            if rule["backendRefs"][0]["name"] == "notification":
                assert {m["path"]["value"] for m in rule["matches"]} <= links
    # nothing of analytics (or any other service) is public
    assert {b["name"] for r in routes for rule in r["spec"]["rules"] for b in rule["backendRefs"]} == {"intake", "notification"}


def test_deploy_internal_gateway_serves_the_report_and_the_workspace_on_a_host_of_its_own():
    """The report on the internal host; the staff workspace (casework 8005) on a host of its own, whole: its
    `__Host-` cookies need https and the path `/` of their host (no prefix, no rewrite), and no other internal
    address shares its cookies. Nothing else reaches casework, and the public Gateway never does."""
    listeners = https_listeners("internal")
    assert set(listeners) == {"https", "workspace"}
    report_host, report_routes = listeners["https"]
    for prefix in route_prefixes("analytics"):
        assert route_backend(report_routes, report_host, prefix) == ("analytics", 8004), prefix
    assert backends(report_routes) == {"analytics"}
    workspace_host, workspace_routes = listeners["workspace"]
    prefixes = route_prefixes("casework")
    assert {"/", "/sign-in", "/cases/", "/static/"} <= prefixes
    for prefix in prefixes:
        assert route_backend(workspace_routes, workspace_host, prefix + "x") == ("casework", 8005), prefix
    assert backends(workspace_routes) == {"casework"}
    for route in workspace_routes:
        assert route["spec"]["hostnames"] == [workspace_host]
        for rule in route["spec"]["rules"]:
            assert not rule.get("filters"), "the workspace is served as it is: no rewrite, no redirect"
    public_host, _ = gateway_routes("public")
    assert len({report_host, workspace_host, public_host}) == 3
    # the workspace host is https only, on the internal Gateway only
    for name, gateway in of_kind("Gateway").items():
        for listener in gateway["spec"]["listeners"]:
            if listener["hostname"] == workspace_host:
                assert (name, listener["protocol"], listener["tls"]["mode"]) == ("internal", "HTTPS", "Terminate")
    routed = {backend for gateway in ("public", "internal") for _, routes in https_listeners(gateway).values()
              for backend in backends(routes)}
    assert routed == {"intake", "notification", "analytics", "casework"}
    assert "casework" not in backends(route for _, routes in https_listeners("public").values() for route in routes)


def test_deploy_casework_trusts_the_internal_gateways_forwarded_address():
    """Sign-in throttling counts failures per client address: behind the Gateway every member would share the
    proxy's address (and one guesser would lock everyone out), so casework takes the entry the Gateway appended to
    X-Forwarded-For. Safe because only the internal Gateway reaches its port (NetworkPolicy, below)."""
    env = {e["name"]: e.get("value") for e in container_of(of_kind("Deployment")["casework"])["env"]}
    assert env["TRUST_PROXY_HEADERS"] == "true" and env["TRUSTED_PROXY_HOPS"] == "1"


def test_deploy_networkpolicy_admits_each_gateway_to_its_route_backends_only():
    deployments, services = of_kind("Deployment"), of_kind("Service")
    for gateway in ("public", "internal"):
        routes = [route for _, attached in https_listeners(gateway).values() for route in attached]
        wanted = set()
        for route in routes:
            for rule in route["spec"]["rules"]:
                for backend in rule["backendRefs"]:
                    (port,) = [p for p in services[backend["name"]]["spec"]["ports"] if p["port"] == backend["port"]]
                    container = container_of(deployments[backend["name"]])
                    (target,) = [p["containerPort"] for p in container["ports"] if p["name"] == port["targetPort"]]
                    wanted.add((backend["name"], target))
        admitted = set()
        for policy in of_kind("NetworkPolicy").values():
            selected = policy["spec"]["podSelector"].get("matchLabels", {}).get("app.kubernetes.io/name")
            for rule in policy["spec"].get("ingress", []):
                for peer in rule.get("from", []):
                    labels = [peer.get(k, {}).get("matchLabels", {}) for k in ("namespaceSelector", "podSelector")]
                    if any(GATEWAY_LABEL in l for l in labels):
                        # both the namespace and the pod must carry the label the operator sets
                        assert all(l.get(GATEWAY_LABEL) for l in labels), policy["metadata"]["name"]
                        if labels[0][GATEWAY_LABEL] == gateway:
                            assert selected and rule.get("ports"), f"{policy['metadata']['name']} admits too widely"
                            admitted |= {(selected, p["port"]) for p in rule["ports"]}
        assert admitted == wanted, gateway
        gw = of_kind("Gateway")[gateway]
        assert gw["spec"]["infrastructure"]["labels"] == {GATEWAY_LABEL: gateway}


def test_deploy_networkpolicies_name_no_ingress_controller_namespace():
    text = (K8S_BASE / "networkpolicy.yaml").read_text()
    assert "ingress-nginx" not in text
    for policy in of_kind("NetworkPolicy").values():
        for rule in policy["spec"].get("ingress", []):
            for peer in rule.get("from", []):
                name = peer.get("namespaceSelector", {}).get("matchLabels", {}).get("kubernetes.io/metadata.name")
                assert name in (None, "monitoring", "rabbitmq-system", "cnpg-system"), policy["metadata"]["name"]


def test_deploy_public_base_urls_name_the_public_gateway_host_and_the_compose_ports(load_yaml):
    host, _ = gateway_routes("public")
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
    routes = [r for r in rendered if r["kind"] == "HTTPRoute"]
    assert routes and all(r["metadata"]["namespace"] == "voorportaal" for r in routes)
    (public,) = [r for r in routes if r["metadata"]["name"] == "public"]
    assert route_backend([public], public["spec"]["hostnames"][0], "/mediator/links/x") == ("notification", 8003)
    assert not [r for r in rendered if r["kind"] == "Ingress"], "the Ingress is replaced by the Gateway API"
    classes = {g["metadata"]["name"]: g["spec"]["gatewayClassName"] for g in rendered if g["kind"] == "Gateway"}
    assert set(classes) == {"public", "internal"} and len(set(classes.values())) == 2
    try:
        import kubernetes_validate
    except ImportError:
        return
    version = kubernetes_validate.latest_version()
    builtin = {"Namespace", "ConfigMap", "Deployment", "StatefulSet", "Service", "PodDisruptionBudget",
               "HorizontalPodAutoscaler", "NetworkPolicy"}
    for resource in rendered:
        if resource["kind"] in builtin:
            kubernetes_validate.validate(resource, version, strict=True)
