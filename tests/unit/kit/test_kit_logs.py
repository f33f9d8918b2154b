import json

import structlog

from libs.kit.logs import configure_logging, drop_sensitive_keys


def test_sensitive_keys_are_dropped_whatever_the_call_site_passes():
    event = drop_sensitive_keys(None, "info", {"event": "x", "description": "CANARY", "Contact": {"a": 1},
                                              "case_ref": "VP-1"})
    assert event["description"] == "[dropped]" and event["Contact"] == "[dropped]"
    assert event["case_ref"] == "VP-1"


def test_log_lines_are_json_and_carry_the_service(capsys):
    configure_logging("testsvc")
    structlog.get_logger().info("hello", receipt="SECRET-CANARY", n=1)
    line = capsys.readouterr().out.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["service"] == "testsvc" and record["event"] == "hello" and record["n"] == 1
    assert "SECRET-CANARY" not in line
