"""deploy/k8s: the kustomize tree, validated structurally (no cluster, no kubectl here).

A small stand-in for `kustomize build` collects the resources listed in each kustomization.yaml and applies the
`images:` overrides; then every Deployment must have probes on declared ports, requests and limits, a PDB, and
(for the services) an HPA; secrets come only from Secret references; the broker topology equals
deploy/rabbitmq/definitions.json; the PrometheusRule equals deploy/prometheus/alerts.yml. Built-in kinds are also
validated against the Kubernetes OpenAPI schemas when the `kubernetes-validate` package is installed.
"""
import json
import re

import pytest

from support.deploy_testlib import DEPLOY, SERVICES, load_yaml_documents

K8S = DEPLOY / "k8s"
SECRET_NAME = re.compile(r"(PASSWORD|SECRET|TOKEN|_KEY|KEYS|AMQP_URI|DATABASE_URL)$")


def build(directory):
    """Resources of a kustomization, recursively, with `images:` applied (enough of kustomize for these checks)."""
    kustomization = load_yaml_documents(directory / "kustomization.yaml")[0]
    resources = []
    for entry in kustomization.get("resources", []):
        path = (directory / entry).resolve()
        if path.is_dir():
            resources.extend(build(path))
        else:
            resources.extend(load_yaml_documents(path))
    for image in kustomization.get("images", []):
        for container in all_containers(resources):
            if container["image"].split(":")[0].split("@")[0] == image["name"]:
                container["image"] = f"{image.get('newName', image['name'])}:{image['newTag']}"
    return resources


def all_containers(resources):
    for resource in resources:
        if resource["kind"] in ("Deployment", "StatefulSet"):
            spec = resource["spec"]["template"]["spec"]
            yield from spec.get("initContainers", []) + spec["containers"]


def of_kind(resources, kind):
    return {r["metadata"]["name"]: r for r in resources if r["kind"] == kind}


@pytest.fixture(scope="module")
def base():
    return build(K8S / "base")


@pytest.fixture(scope="module")
def production():
    return build(K8S / "overlays" / "production")


def test_deploy_k8s_every_base_file_is_listed_in_the_kustomization():
    listed = set(load_yaml_documents(K8S / "base" / "kustomization.yaml")[0]["resources"])
    present = {p.name for p in (K8S / "base").glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


def test_deploy_k8s_resources_have_kind_name_and_unique_identity(base):
    seen = set()
    for resource in base:
        assert resource.get("apiVersion") and resource.get("kind") and resource["metadata"].get("name"), resource
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", resource["metadata"]["name"]), resource["metadata"]
        identity = (resource["kind"], resource["metadata"]["name"])
        assert identity not in seen, identity
        seen.add(identity)


def test_deploy_k8s_every_service_and_relay_has_a_deployment_with_the_right_command(base):
    deployments = of_kind(base, "Deployment")
    for name in SERVICES:
        assert deployments[name]["spec"]["template"]["spec"]["containers"][0]["command"] == ["python", "-m", f"services.{name}"]
        relay = deployments[f"{name}-relay"]["spec"]["template"]["spec"]["containers"][0]
        assert relay["command"] == ["python", "-m", "libs.kit.relay", name]


def test_deploy_k8s_deployments_have_probes_and_resources(base):
    for name, deployment in of_kind(base, "Deployment").items():
        pod = deployment["spec"]["template"]["spec"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in pod["containers"]:
            port_names = {p["name"] for p in container["ports"]}
            for probe in ("livenessProbe", "readinessProbe"):
                assert probe in container, f"{name}: no {probe}"
                assert container[probe]["httpGet"]["port"] in port_names, f"{name}: {probe} on an undeclared port"
            for kind in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][kind]), f"{name}: {kind} incomplete"
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_deploy_k8s_service_probes_use_the_health_endpoints(base):
    deployments = of_kind(base, "Deployment")
    for name in SERVICES:
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"


def test_deploy_k8s_ports_match_the_metrics_contract(base, metrics_contract):
    deployments = of_kind(base, "Deployment")
    for name in SERVICES:
        for deployment, port, variable in ((name, metrics_contract["ops_ports"][name], f"{name.upper()}_METRICS_PORT"),
                                           (f"{name}-relay", metrics_contract["relay_ports"][name],
                                            f"{name.upper()}_RELAY_METRICS_PORT")):
            container = deployments[deployment]["spec"]["template"]["spec"]["containers"][0]
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            assert ports["ops"] == port
            env = {e["name"]: e.get("value") for e in container["env"]}
            assert env[variable] == str(port)
            assert container["envFrom"] == [{"configMapRef": {"name": "voorportaal-config"}}]
    config = of_kind(base, "ConfigMap")["voorportaal-config"]["data"]
    assert config["OPS_BIND_HOST"] == "0.0.0.0", "probes and Prometheus must reach the ops ports"
    intake = deployments["intake"]["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "http", "containerPort": 8000} in intake["ports"]
    analytics = deployments["analytics"]["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "http", "containerPort": 8004} in analytics["ports"]
    casework = deployments["casework"]["spec"]["template"]["spec"]["containers"][0]
    assert {"name": "http", "containerPort": 8005} in casework["ports"]


def test_deploy_k8s_every_deployment_has_a_pdb_and_services_an_hpa(base):
    deployments = of_kind(base, "Deployment")
    pdbs = of_kind(base, "PodDisruptionBudget")
    hpas = of_kind(base, "HorizontalPodAutoscaler")
    for name, deployment in deployments.items():
        pdb = pdbs[name]
        assert pdb["spec"]["selector"]["matchLabels"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
        assert ("minAvailable" in pdb["spec"]) != ("maxUnavailable" in pdb["spec"])
    for name in SERVICES:
        hpa = hpas[name]
        assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 2 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
        if "minAvailable" in pdbs[name]["spec"]:
            assert pdbs[name]["spec"]["minAvailable"] < hpa["spec"]["minReplicas"], f"{name}: PDB would block drains"
    for target in hpas.values():
        assert target["spec"]["scaleTargetRef"]["name"] in deployments


def test_deploy_k8s_services_select_pods_and_target_declared_ports(base):
    workloads = {**of_kind(base, "Deployment"), **of_kind(base, "StatefulSet")}
    for name, service in of_kind(base, "Service").items():
        matches = [d for d in workloads.values()
                   if service["spec"]["selector"].items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert len(matches) == 1, f"Service {name} selects {len(matches)} Deployments/StatefulSets"
        port_names = {p["name"] for c in matches[0]["spec"]["template"]["spec"]["containers"] for p in c["ports"]}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in port_names


def test_deploy_k8s_secrets_are_references_never_literals(base, root):
    assert not of_kind(base, "Secret"), "a Secret object with data is committed"
    operations = (root / "docs" / "operations.md").read_text()
    referenced = set()
    for container in all_containers(base):
        for env in container.get("env", []):
            if SECRET_NAME.search(env["name"]):
                assert "value" not in env, f"{container['name']}: {env['name']} is a literal"
                referenced.add(env["valueFrom"]["secretKeyRef"]["name"])
        for source in container.get("envFrom", []):
            assert "secretRef" not in source or source["secretRef"]["name"] in operations
    for config in of_kind(base, "ConfigMap").values():
        for key in config["data"]:
            assert not SECRET_NAME.search(key), f"ConfigMap holds {key}"
    for name in referenced:
        assert name in operations, f"Secret {name} is not documented in docs/operations.md"


OUR_IMAGES = ("voorportaal", "voorportaal-analytics")


def test_deploy_k8s_app_images_are_our_two_images_pinned_in_production(base, production):
    """analytics runs voorportaal-analytics (the analytics extra); every other Deployment runs voorportaal."""
    ours = lambda resources: {c["name"]: c["image"] for c in all_containers(resources)  # noqa: E731
                              if c["image"].split(":")[0].split("/")[-1] in OUR_IMAGES}
    base_images = ours(base)
    assert base_images.pop("analytics") == base_images.pop("analytics-migrate") == "voorportaal-analytics:dev"
    # every service but analytics, its schema migration (an init container), and every relay
    assert set(base_images.values()) == {"voorportaal:dev"} and len(base_images) == 3 * len(SERVICES) - 2
    production_images = set(ours(production).values())
    assert len(production_images) == 2
    for image in production_images:
        assert not image.endswith(":latest") and ":" in image


def test_deploy_k8s_each_service_pod_migrates_its_schema_first(base):
    """An init container runs `voorportaal-migrate <service>` with the service's own database URL (from its
    Secret, nothing else) and the service's image; the service then does not migrate itself (MIGRATE_ON_START
    false in the shared ConfigMap) and refuses an older schema. Relays wait for their outbox table instead."""
    deployments = of_kind(base, "Deployment")
    config = of_kind(base, "ConfigMap")["voorportaal-config"]["data"]
    assert config["MIGRATE_ON_START"] == "false"
    for name in SERVICES:
        pod = deployments[name]["spec"]["template"]["spec"]
        (init,) = pod["initContainers"]
        assert init["name"] == f"{name}-migrate"
        assert init["command"] == ["python", "-m", "libs.kit.migrate_cli", name]
        assert init["image"] == pod["containers"][0]["image"]
        variable = f"{name.upper()}_DATABASE_URL"
        assert init["env"] == [{"name": variable, "valueFrom": {"secretKeyRef": {
            "name": f"voorportaal-{name}", "key": variable}}}]
        assert {"cpu", "memory"} <= set(init["resources"]["requests"]) and set(init["resources"]["limits"])
        assert init["securityContext"]["readOnlyRootFilesystem"] is True
        assert init["securityContext"]["allowPrivilegeEscalation"] is False
        assert {m["name"] for m in init["volumeMounts"]} <= {v["name"] for v in pod["volumes"]}
        relay = deployments[f"{name}-relay"]["spec"]["template"]["spec"]
        assert "initContainers" not in relay


def test_deploy_k8s_secret_keys_match_the_compose_env_files(base):
    deployments = of_kind(base, "Deployment")
    for name in SERVICES:
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        from_secret = {e["name"] for e in container["env"] if "valueFrom" in e}
        example = DEPLOY / "compose" / "secrets.example" / f"{name}.env"
        keys = {line.split("=", 1)[0] for line in example.read_text().splitlines() if line and not line.startswith("#")}
        assert from_secret == keys, name


def test_deploy_k8s_rabbitmq_is_a_three_node_tls_cluster(base):
    (cluster,) = of_kind(base, "RabbitmqCluster").values()
    assert cluster["spec"]["replicas"] == 3
    assert cluster["spec"]["tls"]["disableNonTLSListeners"] is True
    assert "rabbitmq_prometheus" in cluster["spec"]["rabbitmq"]["additionalPlugins"]
    refs = {r["spec"]["rabbitmqClusterReference"]["name"] for r in base if r["apiVersion"].startswith("rabbitmq.com/")
            and r["kind"] != "RabbitmqCluster"}
    assert refs == {cluster["metadata"]["name"]}


def test_deploy_k8s_topology_equals_the_definitions_file(base):
    definitions = json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text())
    spec = lambda kind: [r["spec"] for r in base if r["kind"] == kind]  # noqa: E731
    assert {(e["name"], e["type"], e["durable"]) for e in spec("Exchange")} == \
           {(e["name"], e["type"], e["durable"]) for e in definitions["exchanges"]}
    assert {(q["name"], q["type"]) for q in spec("Queue")} == \
           {(q["name"], q["arguments"]["x-queue-type"]) for q in definitions["queues"]}
    assert {(b["source"], b["destination"], b["routingKey"]) for b in spec("Binding")} == \
           {(b["source"], b["destination"], b["routing_key"]) for b in definitions["bindings"]}
    assert {p["name"]: (p["pattern"], p["applyTo"], p["definition"]) for p in spec("Policy")} == \
           {p["name"]: (p["pattern"], p["apply-to"], p["definition"]) for p in definitions["policies"]}
    # the operator's default user is the administrator, so ops-admin is only in the definitions file
    k8s_permissions = {(p["user"], tuple(p["permissions"][k] for k in ("configure", "write", "read"))) for p in spec("Permission")}
    file_permissions = {(p["user"], (p["configure"], p["write"], p["read"])) for p in definitions["permissions"] if p["user"] != "ops-admin"}
    assert k8s_permissions == file_permissions
    assert {(p["user"], p["permissions"]["exchange"], p["permissions"]["read"], p["permissions"]["write"]) for p in spec("TopicPermission")} == \
           {(p["user"], p["exchange"], p["read"], p["write"]) for p in definitions["topic_permissions"]}
    assert all("password" not in json.dumps(u).lower() or "importCredentialsSecret" in u for u in spec("User"))


def test_deploy_k8s_prometheus_rule_equals_alerts_file(base, load_yaml):
    (rule,) = of_kind(base, "PrometheusRule").values()
    assert rule["spec"]["groups"] == load_yaml(DEPLOY / "prometheus" / "alerts.yml")["groups"], (
        "copy the groups of deploy/prometheus/alerts.yml into deploy/k8s/base/prometheus-rules.yaml")


def test_deploy_k8s_postgres_has_replicas_roles_and_backups(base):
    (cluster,) = of_kind(base, "Cluster").values()
    assert cluster["apiVersion"] == "postgresql.cnpg.io/v1" and cluster["spec"]["instances"] >= 3
    owners = {cluster["spec"]["bootstrap"]["initdb"]["owner"]} | {r["name"] for r in cluster["spec"]["managed"]["roles"]}
    databases = {cluster["spec"]["bootstrap"]["initdb"]["database"]} | {d["spec"]["name"] for d in of_kind(base, "Database").values()}
    assert owners == databases == set(SERVICES)
    # backups through the Barman Cloud plugin, not the deprecated in-tree spec.backup.barmanObjectStore
    assert "backup" not in cluster["spec"], "spec.backup.barmanObjectStore is deprecated: use the plugin"
    (plugin,) = cluster["spec"]["plugins"]
    assert plugin["name"] == "barman-cloud.cloudnative-pg.io" and plugin["isWALArchiver"] is True
    stores = of_kind(base, "ObjectStore")
    store = stores[plugin["parameters"]["barmanObjectName"]]
    assert store["apiVersion"] == "barmancloud.cnpg.io/v1"
    configuration = store["spec"]["configuration"]
    assert configuration["destinationPath"].startswith("s3://")
    assert configuration["wal"]["encryption"] == configuration["data"]["encryption"] == "AES256"
    assert store["spec"]["retentionPolicy"] == "30d"
    assert {configuration["s3Credentials"][k]["name"] for k in ("accessKeyId", "secretAccessKey")} == {"voorportaal-backup-s3"}
    (scheduled,) = of_kind(base, "ScheduledBackup").values()
    assert scheduled["spec"]["method"] == "plugin"
    assert scheduled["spec"]["pluginConfiguration"]["name"] == plugin["name"]


def test_deploy_k8s_builtin_kinds_validate_against_the_openapi_schemas(base):
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    version = kubernetes_validate.latest_version()
    builtin = ("Namespace", "ConfigMap", "Deployment", "StatefulSet", "Service", "PodDisruptionBudget",
               "HorizontalPodAutoscaler", "NetworkPolicy")
    checked = 0
    for resource in base:
        if resource["kind"] in builtin:
            kubernetes_validate.validate(resource, version, strict=True)
            checked += 1
    assert checked >= 20
