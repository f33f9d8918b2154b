"""What stands in front of intake (issue 19, findings 1 and 14).

- Behind the ingress every visitor has the ingress's address: intake must take the client from the entry the
  ingress appended to X-Forwarded-For (TRUST_PROXY_HEADERS), and TRUSTED_PROXY_HOPS must be the number of proxies
  in front of it: one (compose: the `proxy` service; Kubernetes: the public Gateway). Safe only because nothing
  else reaches intake's port (compose: loopback only; Kubernetes: the NetworkPolicy, tests/unit/deploy).
- The replicas share their request limits in Redis (RATE_LIMIT_REDIS_URL names a Redis the deployment runs).
- The ingress writes no access log: it would hold every visitor's address and the mediators' link tokens (in the
  path). Compose's Caddy has no `log` directive and drops its access and error loggers; on Kubernetes the
  EnvoyProxy of the Gateway turns Envoy's access log off.
"""
import re

import pytest

from support.deploy_testlib import DEPLOY, load_yaml_documents

COMPOSE_DIR = DEPLOY / "compose"
K8S_BASE = DEPLOY / "k8s" / "base"


@pytest.fixture(scope="module")
def compose(load_yaml):
    return load_yaml(COMPOSE_DIR / "compose.yaml")


def k8s(kind):
    found = {}
    for path in sorted(K8S_BASE.glob("*.yaml")):
        for document in load_yaml_documents(path):
            if document and document.get("kind") == kind:
                found[document["metadata"]["name"]] = document
    return found


def k8s_env(deployment):
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    return {entry["name"]: entry.get("value") for entry in container.get("env", [])}


# -- finding 1: the client's address and the shared limits ---------------------------------------------------
def test_compose_intake_trusts_exactly_the_one_proxy_in_front_of_it(compose):
    services = compose["services"]
    env = services["intake"]["environment"]
    assert env["TRUST_PROXY_HEADERS"] == "true" and env["TRUSTED_PROXY_HOPS"] == "1"
    # one proxy: compose's own, which reaches intake on the compose network; nothing else can, but loopback
    assert all(str(port).startswith("127.0.0.1:") for port in services["intake"].get("ports", []))
    caddyfile = (COMPOSE_DIR / "proxy" / "Caddyfile").read_text()
    assert "reverse_proxy intake:8000" in caddyfile
    assert "trusted_proxies" not in caddyfile  # Caddy replaces a client's own X-Forwarded-For: one hop, always


def test_k8s_intake_trusts_exactly_the_public_gateway():
    env = k8s_env(k8s("Deployment")["intake"])
    assert env["TRUST_PROXY_HEADERS"] == "true" and env["TRUSTED_PROXY_HOPS"] == "1"
    routes = [route for route in k8s("HTTPRoute").values()
              if any(backend["name"] == "intake" for rule in route["spec"]["rules"]
                     for backend in rule.get("backendRefs", []))]
    assert [parent["name"] for route in routes for parent in route["spec"]["parentRefs"]] == ["public"]


def test_compose_intake_shares_its_limits_in_the_compose_redis(compose):
    services = compose["services"]
    url = services["intake"]["environment"]["RATE_LIMIT_REDIS_URL"]
    host = re.match(r"redis://([^:/]+)", url).group(1)
    assert host in services and "redis" in services[host]["image"]
    assert services["intake"]["depends_on"][host]["condition"] == "service_healthy"
    assert not services[host].get("ports")  # not published: only the compose network reaches it


# -- finding 14: no access log at the ingress ---------------------------------------------------------------------
def test_compose_proxy_writes_no_access_log(compose):
    proxy = compose["services"]["proxy"]
    assert "./proxy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    caddyfile = (COMPOSE_DIR / "proxy" / "Caddyfile").read_text()
    site_lines = [line.strip() for line in caddyfile.splitlines() if not line.strip().startswith("#")]
    # Caddy writes access logs only for a site with a `log` directive; the global default logger drops the
    # access and error loggers (an error entry carries the client's address and the request's path)
    assert [line for line in site_lines if re.match(r"^log(\s|$)", line)] == ["log default {"]
    default_log = caddyfile[caddyfile.index("log default {"):]
    default_log = default_log[:default_log.index("}")]
    assert re.search(r"exclude\s+.*\bhttp\.log\.access\b", default_log)
    assert re.search(r"exclude\s+.*\bhttp\.log\.error\b", default_log)


def test_k8s_gateways_write_no_access_log():
    proxies = k8s("EnvoyProxy")
    assert proxies, "no EnvoyProxy configuration for the Gateways"
    for gateway in k8s("Gateway").values():
        ref = gateway["spec"]["infrastructure"]["parametersRef"]
        assert ref["kind"] == "EnvoyProxy" and ref["group"] == "gateway.envoyproxy.io"
        assert proxies[ref["name"]]["spec"]["telemetry"]["accessLog"]["disable"] is True


def test_k8s_intake_shares_its_limits_in_a_redis_only_intake_reaches():
    url = k8s_env(k8s("Deployment")["intake"])["RATE_LIMIT_REDIS_URL"]
    host, port = re.match(r"redis://([^:/]+):(\d+)", url).groups()
    service = k8s("Service")[host]
    assert int(port) in [entry["port"] for entry in service["spec"]["ports"]]
    redis_sets = [s for s in k8s("StatefulSet").values()
                  if s["spec"]["selector"]["matchLabels"].items() <= service["spec"]["selector"].items()]
    (redis_set,) = redis_sets
    container = redis_set["spec"]["template"]["spec"]["containers"][0]
    assert "redis" in container["image"] and "@sha256:" in container["image"]
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    # only intake's pods reach it (the default-deny policy keeps everyone else out)
    policies = [p for p in k8s("NetworkPolicy").values()
                if p["spec"]["podSelector"].get("matchLabels", {}).items() <= service["spec"]["selector"].items()
                and p["spec"]["podSelector"].get("matchLabels")]
    peers = [peer for policy in policies for rule in policy["spec"].get("ingress", []) for peer in rule["from"]]
    assert peers == [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "intake"}}}]
