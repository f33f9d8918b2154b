"""deploy/prometheus: promtool checks the config and rules and runs the alert unit tests; our own rules on top:
every target port matches docs/metrics.md, every alert is unit-tested, has a runbook that exists, and only uses
metric names from the contract."""
import re
import subprocess

import pytest

from support.deploy_testlib import DEPLOY, SERVICES, assert_known_metrics

PROM = DEPLOY / "prometheus"
# runbook_url = <base>/operations.md#<anchor>, the base from the external label runbook_base_url ("docs" unset)
RUNBOOK_URL = re.compile(r'\{\{ or \$externalLabels\.runbook_base_url "docs" \}\}/operations\.md#([a-z0-9-]+)')
REQUIRED_ALERTS = {"BrokerDown", "DeadLetterQueueNotEmpty", "OutboxBacklogGrowing", "QueueWithoutConsumer", "ServiceDown",
                   "ReferralClockBreached", "NotificationFailures", "IntakeHighErrorRate", "IntakeLatencyOverSLO"}


@pytest.fixture(scope="module")
def alerts(load_yaml):
    return [rule for group in load_yaml(PROM / "alerts.yml")["groups"] for rule in group["rules"]]


def run(promtool, *args):
    result = subprocess.run([promtool, *args], cwd=PROM, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_deploy_promtool_check_config(promtool):
    run(promtool, "check", "config", "prometheus.yml")


def test_deploy_promtool_check_rules(promtool):
    assert "SUCCESS" in run(promtool, "check", "rules", "alerts.yml")


def test_deploy_promtool_test_rules(promtool):
    assert "SUCCESS" in run(promtool, "test", "rules", "alerts_test.yml")


def test_deploy_scrape_targets_match_the_metrics_contract(load_yaml, metrics_contract):
    config = load_yaml(PROM / "prometheus.yml")
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    targets = lambda job: {t for sc in jobs[job]["static_configs"] for t in sc["targets"]}  # noqa: E731
    assert targets("voorportaal-services") == {f"{s}:{metrics_contract['ops_ports'][s]}" for s in SERVICES}
    assert targets("voorportaal-relays") == {f"{s}-relay:{metrics_contract['relay_ports'][s]}" for s in SERVICES}
    assert targets("rabbitmq") == {"rabbitmq:15692"} and jobs["rabbitmq"]["metrics_path"] == "/metrics"
    detailed = jobs["rabbitmq-queues"]
    assert detailed["metrics_path"] == "/metrics/detailed"
    assert "queue_coarse_metrics" in detailed["params"]["family"]
    assert detailed["params"]["vhost"] == ["voorportaal"]


def test_deploy_required_alerts_exist_with_runbooks(alerts, operations_anchors):
    assert REQUIRED_ALERTS <= {rule["alert"] for rule in alerts}
    for rule in alerts:
        annotations = rule["annotations"]
        assert annotations.get("summary") and annotations.get("runbook"), rule["alert"]
        assert rule["labels"]["severity"] in ("warning", "critical")
        match = RUNBOOK_URL.fullmatch(annotations["runbook_url"])
        assert match, f"{rule['alert']}: runbook_url must be built from the runbook_base_url external label"
        assert match.group(1) in operations_anchors, \
            f"{rule['alert']}: runbook anchor #{match.group(1)} not found in docs/operations.md"


def test_deploy_runbook_links_resolve_from_the_configured_base(load_yaml):
    """compose passes RUNBOOK_BASE_URL to Prometheus, which expands it into the external label (Prometheus 3);
    alerts_test.yml proves the rendered link with and without the label."""
    config = load_yaml(PROM / "prometheus.yml")
    assert config["global"]["external_labels"]["runbook_base_url"] == "${RUNBOOK_BASE_URL}"
    compose = load_yaml(DEPLOY / "compose" / "compose.yaml")["services"]["prometheus"]
    assert compose["environment"]["RUNBOOK_BASE_URL"] == "${RUNBOOK_BASE_URL:-docs}"
    assert int(compose["image"].split(":v", 1)[1].split(".")[0]) >= 3, "env expansion in external labels needs v3"
    tests = load_yaml(PROM / "alerts_test.yml")["tests"]
    rendered = {a["exp_annotations"]["runbook_url"] for t in tests for c in t["alert_rule_test"]
                for a in c.get("exp_alerts") or [] if t.get("external_labels", {}).get("runbook_base_url")}
    assert rendered and all(url.startswith("https://") for url in rendered)


def test_deploy_prometheus_sends_alerts_to_alertmanager(load_yaml):
    config = load_yaml(PROM / "prometheus.yml")
    (target,) = [t for am in config["alerting"]["alertmanagers"] for sc in am["static_configs"] for t in sc["targets"]]
    assert target == "alertmanager:9093"


def test_deploy_every_alert_is_unit_tested_firing(alerts, load_yaml):
    tests = load_yaml(PROM / "alerts_test.yml")["tests"]
    fired = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case.get("exp_alerts")}
    assert {rule["alert"] for rule in alerts} - fired <= {"EventHandlingLatencyOverSLO"}, "untested alerts"


def test_deploy_alerts_use_only_contract_metric_names(alerts, metrics_contract):
    for rule in alerts:
        assert_known_metrics(rule["expr"], metrics_contract)
    # and the check itself notices an unknown name
    with pytest.raises(AssertionError):
        assert_known_metrics("voorportaal_made_up_total > 0", metrics_contract)
