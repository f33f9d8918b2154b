"""Helpers for the deployment tests (a plain module, not a test: imported by conftest.py and the tests)."""
import base64
import re
from pathlib import Path

import yaml

from support.paths import REPO_ROOT as ROOT
DEPLOY = ROOT / "deploy"
SERVICES = ("intake", "routing", "notification", "analytics", "casework")


def recovery_public_key():
    """A desk recovery public key as `voorportaal-casework recovery keygen` prints it (the private half is dropped
    here; on a real installation it stays offline, docs/keys.md section 4)."""
    from nacl.public import PrivateKey

    return base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()


def make_secrets_command(script, recovery=None):
    """How an operator runs deploy/compose/make-secrets.sh: with the recovery public key keygen printed."""
    return ["bash", str(script), f"DESK_RECOVERY_PUBLIC_KEY={recovery or recovery_public_key()}"]


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML keeps the last one silently)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *anchor` then an explicit key is an override, not a duplicate
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml_documents(path):
    with open(path) as f:
        return [doc for doc in yaml.load_all(f, Loader=StrictLoader) if doc is not None]


def github_anchor(heading):
    """The anchor GitHub gives a Markdown heading."""
    anchor = heading.strip().lower()
    anchor = re.sub(r"[^\w\- ]", "", anchor)
    return anchor.replace(" ", "-")


OTHER_METRICS = {"up", "rabbitmq_detailed_queue_messages", "rabbitmq_detailed_queue_consumers"}
HISTOGRAM_SUFFIXES = ("_bucket", "_count", "_sum")


def metric_names(expr):
    without_strings = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    without_ranges = re.sub(r"\[[^\]]*\]", "", without_strings)
    words = set(re.findall(r"\b([a-z_][a-z0-9_]*)\b\s*(?:\{|\)|\s|$|>|<|=|\*|/|\+|-)", without_ranges))
    return {w for w in words if w.startswith(("voorportaal_", "rabbitmq_")) or w == "up"}


def assert_known_metrics(expr, contract):
    for name in metric_names(expr):
        base = name
        for suffix in HISTOGRAM_SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in contract["names"]:
                base = name[: -len(suffix)]
                assert contract["kinds"][base] == "histogram", name
        assert base in contract["names"] or base in OTHER_METRICS, f"{name} is not in docs/metrics.md"
