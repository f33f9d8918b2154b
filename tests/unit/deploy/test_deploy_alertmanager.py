"""deploy/alertmanager and its Kubernetes copy: amtool accepts both configurations, every alert that
deploy/prometheus/alerts_test.yml fires is routed to an e-mail receiver (`amtool config routes test` with the
alert's labels), the two deployments share one routing tree, and the broker going down inhibits the alerts that
follow from it."""
import shutil
import subprocess

import pytest
import yaml

from support.deploy_testlib import DEPLOY, load_yaml_documents

AM = DEPLOY / "alertmanager"
K8S_FILE = DEPLOY / "k8s" / "base" / "alertmanager.yaml"
SHARED = ("route", "inhibit_rules", "templates")
# what the desk acts on (a person's deadline, overdue cases in the workspace); everything else goes to operations
DESK_ALERTS = {"ReferralClockBreached", "CaseworkCasesOverdue"}


@pytest.fixture(scope="module")
def amtool():
    path = shutil.which("amtool")
    if path is None:
        pytest.skip("amtool is not installed (Debian package prometheus-alertmanager; .ci/run extracts amtool from "
                    "it without starting the daemon)")
    return path


@pytest.fixture(scope="module")
def compose_config():
    return yaml.safe_load((AM / "alertmanager.yml").read_text())


@pytest.fixture(scope="module")
def k8s_configmap():
    (configmap,) = [d for d in load_yaml_documents(K8S_FILE) if d["kind"] == "ConfigMap"]
    return configmap


@pytest.fixture(scope="module")
def config_dirs(tmp_path_factory, k8s_configmap):
    """Both configurations laid out as in their containers: alertmanager.yml next to templates/."""
    compose_dir = tmp_path_factory.mktemp("am-compose")
    shutil.copy(AM / "alertmanager.yml", compose_dir / "alertmanager.yml")
    shutil.copytree(AM / "templates", compose_dir / "templates")
    k8s_dir = tmp_path_factory.mktemp("am-k8s")
    (k8s_dir / "alertmanager.yml").write_text(k8s_configmap["data"]["alertmanager.yml"])
    (k8s_dir / "templates").mkdir()
    (k8s_dir / "templates" / "voorportaal.tmpl").write_text(k8s_configmap["data"]["voorportaal.tmpl"])
    return {"compose": compose_dir, "k8s": k8s_dir}


def amtool_run(amtool, *args, cwd=None):
    result = subprocess.run([amtool, *args], capture_output=True, text=True, timeout=60, cwd=cwd)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("deployment", ["compose", "k8s"])
def test_deploy_amtool_check_config_passes(amtool, config_dirs, deployment):
    out = amtool_run(amtool, "check-config", str(config_dirs[deployment] / "alertmanager.yml"))
    assert "SUCCESS" in out and "1 templates" in out


def fired_alerts():
    """(labels) of every alert that alerts_test.yml expects to fire, with its alertname."""
    tests = yaml.safe_load((DEPLOY / "prometheus" / "alerts_test.yml").read_text())["tests"]
    found = []
    for test in tests:
        for case in test["alert_rule_test"]:
            for alert in case.get("exp_alerts") or []:
                found.append({"alertname": case["alertname"], **alert["exp_labels"]})
    return found


def routed_receivers(amtool, config_file, labels):
    out = amtool_run(amtool, "config", "routes", "test", f"--config.file={config_file}",
                     *[f"{k}={v}" for k, v in sorted(labels.items())])
    return out.strip().split(",")


@pytest.mark.parametrize("deployment", ["compose", "k8s"])
def test_deploy_every_fired_alert_is_routed_to_an_email_receiver(amtool, config_dirs, deployment):
    config = yaml.safe_load((config_dirs[deployment] / "alertmanager.yml").read_text())
    email_receivers = {r["name"] for r in config["receivers"] if r.get("email_configs")}
    alerts = fired_alerts()
    assert "BrokerDown" in {a["alertname"] for a in alerts}
    for labels in alerts:
        receivers = routed_receivers(amtool, config_dirs[deployment] / "alertmanager.yml", labels)
        assert receivers and set(receivers) <= email_receivers, (labels, receivers)
        expected = "desk-email" if labels["alertname"] in DESK_ALERTS else "ops-email"
        assert receivers == [expected], (labels, receivers)


def test_deploy_receivers_send_email_with_the_runbook_link(compose_config):
    for receiver in compose_config["receivers"]:
        (email,) = receiver["email_configs"]
        assert email["to"] and email["send_resolved"] is True
        assert 'template "voorportaal.email.text"' in email["text"]
    template = (AM / "templates" / "voorportaal.tmpl").read_text()
    assert ".Annotations.runbook_url" in template and ".Annotations.runbook" in template


def test_deploy_amtool_renders_the_email_templates(amtool):
    out = amtool_run(amtool, "template", "render", f"--template.glob={AM / 'templates' / '*.tmpl'}",
                     '--template.text={{ template "voorportaal.email.subject" . }}|{{ template "voorportaal.email.text" . }}')
    assert "Runbook:" in out and "First step:" in out


def test_deploy_broker_down_inhibits_the_alerts_that_follow_from_it(compose_config):
    alerts = {rule["alert"] for group in yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())["groups"]
              for rule in group["rules"]}
    (rule,) = [r for r in compose_config["inhibit_rules"] if r["source_matchers"] == ['alertname="BrokerDown"']]
    (target,) = rule["target_matchers"]
    name, _, pattern = target.partition("=~")
    assert name == "alertname"
    inhibited = set(pattern.strip('"').split("|"))
    assert {"QueueWithoutConsumer", "OutboxBacklogGrowing", "OutboxPublishFailing", "DeadLetterQueueNotEmpty"} <= inhibited
    assert "BrokerDown" in alerts
    for inhibit in compose_config["inhibit_rules"]:
        for matcher in inhibit["source_matchers"] + inhibit["target_matchers"]:
            names = matcher.split("=", 1)[1].lstrip("~").strip('"').split("|")
            assert set(names) <= alerts, f"inhibit rule names an alert that does not exist: {names}"


def test_deploy_compose_and_kubernetes_share_one_routing_tree(compose_config, k8s_configmap):
    k8s = yaml.safe_load(k8s_configmap["data"]["alertmanager.yml"])
    for key in SHARED:
        assert k8s[key] == compose_config[key], key
    assert [r["name"] for r in k8s["receivers"]] == [r["name"] for r in compose_config["receivers"]]
    assert k8s_configmap["data"]["voorportaal.tmpl"] == (AM / "templates" / "voorportaal.tmpl").read_text()
    # production: TLS to an authenticated relay, the password from a file (a Secret), never in the config
    assert k8s["global"]["smtp_require_tls"] is True and k8s["global"]["smtp_auth_username"]
    assert k8s["global"]["smtp_auth_password_file"].startswith("/etc/alertmanager/secrets/")
    for config in (k8s, compose_config):
        assert "smtp_auth_password" not in config["global"]


def test_deploy_compose_runs_alertmanager_and_prometheus_sends_to_it(load_yaml):
    services = load_yaml(DEPLOY / "compose" / "compose.yaml")["services"]
    manager = services["alertmanager"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in manager["volumes"]}
    assert mounts["/etc/alertmanager/alertmanager.yml"] == "../alertmanager/alertmanager.yml"
    assert mounts["/etc/alertmanager/templates"] == "../alertmanager/templates"
    assert "alertmanager_smtp_password" in manager["secrets"]
    assert services["prometheus"]["depends_on"]["alertmanager"]["condition"] == "service_healthy"
    config = load_yaml(AM / "alertmanager.yml")
    assert config["global"]["smtp_smarthost"] == "mailpit:1025", "compose: alert e-mails land in Mailpit"
    assert config["global"]["smtp_auth_password_file"] == "/run/secrets/alertmanager_smtp_password"
