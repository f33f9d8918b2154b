"""deploy/grafana: provisioning points at the dashboard folder and the Prometheus datasource; the dashboard covers
the flow, and every query is valid PromQL (promtool parses it as a recording rule) over contract metric names."""
import json
import subprocess

import pytest
import yaml

from support.deploy_testlib import DEPLOY, assert_known_metrics

GRAFANA = DEPLOY / "grafana"
DASHBOARD = GRAFANA / "dashboards" / "voorportaal-flow.json"


@pytest.fixture(scope="module")
def dashboard():
    return json.loads(DASHBOARD.read_text())


def queries(dashboard):
    return [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]


def test_deploy_grafana_provisioning_matches_compose(load_yaml):
    datasource = load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yaml")["datasources"][0]
    assert datasource["type"] == "prometheus" and datasource["url"] == "http://prometheus:9090"
    provider = load_yaml(GRAFANA / "provisioning" / "dashboards" / "voorportaal.yaml")["providers"][0]
    compose = load_yaml(DEPLOY / "compose" / "compose.yaml")
    mounts = {v.split(":")[1]: v.split(":")[0] for v in compose["services"]["grafana"]["volumes"]}
    assert mounts[provider["options"]["path"]] == "../grafana/dashboards"


def test_deploy_grafana_dashboard_panels_use_the_datasource_variable(dashboard):
    """No hard-coded datasource uid: every panel and query uses ${DS_PROMETHEUS}, a datasource variable (type
    prometheus), so the dashboard works with whatever Prometheus an installation provisions or picks on import."""
    (variable,) = [v for v in dashboard["templating"]["list"] if v["name"] == "DS_PROMETHEUS"]
    assert variable["type"] == "datasource" and variable["query"] == "prometheus"
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    wanted = {"type": "prometheus", "uid": "${DS_PROMETHEUS}"}
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"] == wanted and panel["targets"], panel["title"]
            for target in panel["targets"]:
                assert target.get("datasource", wanted) == wanted, panel["title"]
    assert '"uid": "voorportaal-prometheus"' not in DASHBOARD.read_text()


def test_deploy_grafana_dashboard_shows_the_flow(dashboard):
    text = " ".join(queries(dashboard))
    for needed in ("voorportaal_complaints_received_total", "voorportaal_http_request_duration_seconds_bucket",
                   "rabbitmq_detailed_queue_messages", "voorportaal_outbox_oldest_pending_age_seconds",
                   "voorportaal_outbox_pending", "voorportaal_partner_referrals_total", "voorportaal_notifications_total",
                   "voorportaal_referral_clocks_due_total", "voorportaal_referral_clocks_breached"):
        assert needed in text, needed


def test_deploy_grafana_queries_use_contract_metric_names(dashboard, metrics_contract):
    for expr in queries(dashboard):
        assert_known_metrics(expr, metrics_contract)


def test_deploy_grafana_queries_are_valid_promql(dashboard, promtool, tmp_path):
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:query_{i}", "expr": expr} for i, expr in enumerate(queries(dashboard))]}]}
    path = tmp_path / "dashboard_rules.yml"
    path.write_text(yaml.safe_dump(rules))
    result = subprocess.run([promtool, "check", "rules", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
