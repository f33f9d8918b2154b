"""deploy/k8s/base/gateway.yaml: Gateway API objects validated structurally.

kubernetes-validate knows only built-in kinds, and the official Gateway API CRD schemas are not vendored here, so
this checks what the v1 (standard channel) CRDs' OpenAPI schemas and CEL rules require of the fields we use, by
hand: the allowed fields at every level (a misspelt field is rejected by the API server's structural schema),
required fields, enumerations, formats and limits; then the references: each HTTPRoute's parentRefs name a
Gateway and one of its listeners, its hostnames are those of that listener, its backends are Services with that
port, and each TLS certificate is a documented Secret.
"""
import re

import pytest

from support.deploy_testlib import DEPLOY, ROOT, load_yaml_documents

K8S = DEPLOY / "k8s" / "base"
API = "gateway.networking.k8s.io/v1"
HOSTNAME = re.compile(r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
SECTION = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
ALLOWED = {
    "Gateway.spec": {"gatewayClassName", "listeners", "addresses", "infrastructure"},
    "Gateway.infrastructure": {"labels", "annotations", "parametersRef"},
    "listener": {"name", "hostname", "port", "protocol", "tls", "allowedRoutes"},
    "tls": {"mode", "certificateRefs", "options"},
    "certificateRef": {"group", "kind", "name", "namespace"},
    "allowedRoutes": {"namespaces", "kinds"},
    "HTTPRoute.spec": {"parentRefs", "hostnames", "rules"},
    "parentRef": {"group", "kind", "namespace", "name", "sectionName", "port"},
    "rule": {"name", "matches", "filters", "backendRefs", "timeouts", "retry", "sessionPersistence"},
    "match": {"path", "headers", "queryParams", "method"},
    "path": {"type", "value"},
    "filter": {"type", "requestHeaderModifier", "responseHeaderModifier", "requestMirror", "requestRedirect",
               "urlRewrite", "extensionRef"},
    "requestRedirect": {"scheme", "hostname", "path", "port", "statusCode"},
    "backendRef": {"group", "kind", "name", "namespace", "port", "weight", "filters"},
}
FILTER_FIELD = {"RequestHeaderModifier": "requestHeaderModifier", "ResponseHeaderModifier": "responseHeaderModifier",
                "RequestMirror": "requestMirror", "RequestRedirect": "requestRedirect", "URLRewrite": "urlRewrite",
                "ExtensionRef": "extensionRef"}


def resources():
    out = []
    for path in sorted(K8S.glob("*.yaml")):
        out.extend(load_yaml_documents(path))
    return out


def of_kind(kind):
    return {r["metadata"]["name"]: r for r in resources() if r["kind"] == kind}


def only(where, obj, allowed):
    unknown = set(obj) - ALLOWED[allowed]
    assert not unknown, f"{where}: unknown field(s) {sorted(unknown)} (Gateway API v1 {allowed})"


def test_deploy_gateway_api_objects_use_the_v1_standard_channel():
    kinds = {(r["apiVersion"], r["kind"]) for r in resources() if r["apiVersion"].startswith("gateway.networking")}
    assert kinds == {(API, "Gateway"), (API, "HTTPRoute")}
    assert not of_kind("Ingress"), "the Ingress is replaced by the Gateway API"


@pytest.mark.parametrize("name", sorted(of_kind("Gateway")))
def test_deploy_gateway_is_structurally_valid(name):
    spec = of_kind("Gateway")[name]["spec"]
    only(name, spec, "Gateway.spec")
    assert isinstance(spec["gatewayClassName"], str) and 1 <= len(spec["gatewayClassName"]) <= 253
    only(name, spec.get("infrastructure", {}), "Gateway.infrastructure")
    for key, value in spec.get("infrastructure", {}).get("labels", {}).items():
        assert isinstance(value, str) and len(value) <= 63 and re.fullmatch(r"([a-z0-9.-]+/)?[A-Za-z0-9._-]+", key)
    listeners = spec["listeners"]
    assert 1 <= len(listeners) <= 64
    assert len({l["name"] for l in listeners}) == len(listeners), "listener names must be unique"
    assert len({(l["port"], l["protocol"], l.get("hostname")) for l in listeners}) == len(listeners)
    for listener in listeners:
        where = f"{name}/{listener['name']}"
        only(where, listener, "listener")
        assert SECTION.fullmatch(listener["name"]) and len(listener["name"]) <= 253
        assert isinstance(listener["port"], int) and 1 <= listener["port"] <= 65535
        assert listener["protocol"] in ("HTTP", "HTTPS", "TLS", "TCP", "UDP")
        assert HOSTNAME.fullmatch(listener["hostname"]) and len(listener["hostname"]) <= 253
        if listener["protocol"] == "HTTPS":
            tls = listener["tls"]
            only(where, tls, "tls")
            assert tls.get("mode", "Terminate") == "Terminate"
            assert 1 <= len(tls["certificateRefs"]) <= 64, "Terminate needs a certificate (CEL rule)"
            for ref in tls["certificateRefs"]:
                only(where, ref, "certificateRef")
                assert ref.get("kind", "Secret") == "Secret" and ref.get("group", "") == ""
        else:
            assert "tls" not in listener, f"{where}: tls only on HTTPS/TLS listeners"
        allowed = listener.get("allowedRoutes", {})
        only(where, allowed, "allowedRoutes")
        assert allowed.get("namespaces", {}).get("from", "Same") in ("All", "Selector", "Same")


@pytest.mark.parametrize("name", sorted(of_kind("HTTPRoute")))
def test_deploy_httproute_is_structurally_valid(name):
    spec = of_kind("HTTPRoute")[name]["spec"]
    only(name, spec, "HTTPRoute.spec")
    assert 1 <= len(spec["parentRefs"]) <= 32
    for ref in spec["parentRefs"]:
        only(name, ref, "parentRef")
        assert ref.get("kind", "Gateway") == "Gateway" and ref.get("group", API.split("/")[0]) == API.split("/")[0]
    assert len(spec.get("hostnames", [])) <= 16
    for hostname in spec.get("hostnames", []):
        assert HOSTNAME.fullmatch(hostname), hostname
    assert 1 <= len(spec["rules"]) <= 16
    for rule in spec["rules"]:
        only(name, rule, "rule")
        assert len(rule.get("matches", [])) <= 64 and len(rule.get("filters", [])) <= 16
        for match in rule.get("matches", []):
            only(name, match, "match")
            only(name, match["path"], "path")
            assert match["path"]["type"] in ("Exact", "PathPrefix", "RegularExpression")
            value = match["path"]["value"]
            assert value.startswith("/") and len(value) <= 1024 and "//" not in value and "/./" not in value
        types = [f["type"] for f in rule.get("filters", [])]
        assert not ({"RequestRedirect", "URLRewrite"} <= set(types)), "RequestRedirect and URLRewrite exclude each other"
        for item in rule.get("filters", []):
            only(name, item, "filter")
            assert item["type"] in FILTER_FIELD and FILTER_FIELD[item["type"]] in item, item
            if item["type"] == "RequestRedirect":
                redirect = item["requestRedirect"]
                only(name, redirect, "requestRedirect")
                assert redirect.get("scheme", "https") in ("http", "https")
                assert redirect.get("statusCode", 302) in (301, 302, 303, 307, 308)
        if "RequestRedirect" in types:
            assert not rule.get("backendRefs"), "a redirect rule sends nowhere else"
        else:
            assert 1 <= len(rule["backendRefs"]) <= 16
        for backend in rule.get("backendRefs", []):
            only(name, backend, "backendRef")
            assert backend.get("kind", "Service") == "Service" and "namespace" not in backend
            assert isinstance(backend["port"], int), "a Service backend needs its port (CEL rule)"


def test_deploy_httproutes_reference_existing_gateways_listeners_and_services():
    gateways, services = of_kind("Gateway"), of_kind("Service")
    operations = (ROOT / "docs" / "operations.md").read_text()
    for gateway in gateways.values():
        for listener in gateway["spec"]["listeners"]:
            for ref in listener.get("tls", {}).get("certificateRefs", []):
                assert f"`{ref['name']}`" in operations, f"TLS Secret {ref['name']} not in docs/operations.md"
    for name, route in of_kind("HTTPRoute").items():
        for ref in route["spec"]["parentRefs"]:
            listeners = {l["name"]: l for l in gateways[ref["name"]]["spec"]["listeners"]}
            listener = listeners[ref["sectionName"]]
            assert set(route["spec"]["hostnames"]) <= {listener["hostname"]}, name
        for rule in route["spec"]["rules"]:
            for backend in rule.get("backendRefs", []):
                ports = {p["port"] for p in services[backend["name"]]["spec"]["ports"]}
                assert backend["port"] in ports, f"{name}: {backend['name']} has no port {backend['port']}"
