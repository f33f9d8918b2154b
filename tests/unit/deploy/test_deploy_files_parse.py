"""Every YAML and JSON file under deploy/ parses (strictly: no duplicate keys); shell scripts pass `bash -n`."""
import json
import subprocess

import pytest

from support.deploy_testlib import DEPLOY, load_yaml_documents

YAML_FILES = sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yaml", ".yml"))
JSON_FILES = sorted(DEPLOY.rglob("*.json"))
SHELL_FILES = sorted(DEPLOY.rglob("*.sh"))


def test_deploy_tree_has_the_expected_files():
    expected = [
        "compose/compose.yaml", "compose/Containerfile", "compose/make-secrets.sh",
        "rabbitmq/definitions.json", "rabbitmq/rabbitmq.conf",
        "prometheus/prometheus.yml", "prometheus/alerts.yml", "prometheus/alerts_test.yml",
        "grafana/provisioning/datasources/prometheus.yaml", "grafana/provisioning/dashboards/voorportaal.yaml",
        "grafana/dashboards/voorportaal-flow.json",
        "k8s/base/kustomization.yaml", "k8s/overlays/production/kustomization.yaml",
    ]
    missing = [name for name in expected if not (DEPLOY / name).is_file()]
    assert not missing


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_deploy_yaml_parses(path):
    assert load_yaml_documents(path), f"{path} is empty"


@pytest.mark.parametrize("path", JSON_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_deploy_json_parses(path):
    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicate keys in {path}"
        return dict(pairs)
    json.loads(path.read_text(), object_pairs_hook=no_duplicates)


@pytest.mark.parametrize("path", SHELL_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_deploy_shell_scripts_parse(path):
    subprocess.run(["bash", "-n", str(path)], check=True)
