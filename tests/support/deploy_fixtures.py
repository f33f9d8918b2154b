"""Fixtures for the deployment tests: paths, a strict YAML loader, the metrics contract, promtool."""
import re
import shutil

import pytest

from support.deploy_testlib import DEPLOY, ROOT, SERVICES, github_anchor, load_yaml_documents


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def deploy_dir():
    return DEPLOY


@pytest.fixture(scope="session")
def load_yaml():
    """load_yaml(path) -> the single document; load_yaml(path, all=True) -> every document."""
    def load(path, all=False):
        docs = load_yaml_documents(path)
        if all:
            return docs
        assert len(docs) == 1, f"{path}: expected one YAML document, found {len(docs)}"
        return docs[0]
    return load


@pytest.fixture(scope="session")
def metrics_contract():
    """Metric names, service ops ports and relay ports as docs/metrics.md states them."""
    text = (ROOT / "docs" / "metrics.md").read_text()
    names = set(re.findall(r"^\| `(voorportaal_[a-z_]+)` \| (?:counter|gauge|histogram)", text, re.M))
    kinds = dict(re.findall(r"^\| `(voorportaal_[a-z_]+)` \| (counter|gauge|histogram)", text, re.M))
    intro = text.split("|")[0]
    names_of_services = "|".join(SERVICES)
    ops = {svc: int(port) for svc, port in re.findall(rf"\b({names_of_services}) (9\d{{3}})\b", intro)}
    relay = {svc: int(port) for port, svc in re.findall(rf"\b(9\d{{3}}) \(({names_of_services})\)", intro)}
    assert names and set(ops) == set(SERVICES) and set(relay) == set(SERVICES), "docs/metrics.md changed shape"
    return {"names": names, "kinds": kinds, "ops_ports": ops, "relay_ports": relay}


@pytest.fixture(scope="session")
def promtool():
    path = shutil.which("promtool")
    if path is None:
        pytest.skip("promtool is not installed (Debian package: prometheus)")
    return path


@pytest.fixture(scope="session")
def operations_anchors():
    text = (ROOT / "docs" / "operations.md").read_text()
    return {github_anchor(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.M)}
