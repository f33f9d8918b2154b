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


def test_sensitive_values_are_dropped_at_any_depth():
    event = drop_sensitive_keys(None, "info", {"event": "x", "outer": {"list": [{"Description": "CANARY-1"}],
                                                                      "case_ref": "VP-1"}})
    assert "CANARY-1" not in json.dumps(event) and event["outer"]["case_ref"] == "VP-1"


def test_an_exception_is_logged_by_class_and_frames_never_by_its_text(capsys):
    configure_logging("testsvc")
    try:
        raise ValueError("CANARY-2 quoted by a decoder")
    except ValueError:
        structlog.get_logger().exception("failed")
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert record["exception"] == "ValueError" and record["frames"] and "CANARY-2" not in json.dumps(record)


def test_standard_library_loggers_pass_the_same_redaction(capsys):
    """nameko logs a failed worker with logger.exception('error handling worker %s: %s', ctx, exc): the arguments
    and the exception's text must not be written."""
    import logging
    configure_logging("testsvc")
    try:
        raise RuntimeError("CANARY-3 in the exception")
    except RuntimeError as exc:
        logging.getLogger("nameko.containers").exception("error handling worker %s: %s",
                                                         "<WorkerContext args=('CANARY-4',)>", exc)
    out = capsys.readouterr().out.strip().splitlines()[-1]
    record = json.loads(out)
    assert record["logger"] == "nameko.containers" and record["exception"] == "RuntimeError"
    assert "CANARY-3" not in out and "CANARY-4" not in out


def test_sql_errors_carry_no_bound_parameters():
    from sqlalchemy import Column, Integer, MetaData, String, Table
    from sqlalchemy.exc import IntegrityError

    from libs.kit.db import make_engine
    engine = make_engine("sqlite://")
    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("v", String))
    table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(table.insert().values(id=1, v="x"))
    try:
        with engine.begin() as conn:
            conn.execute(table.insert().values(id=1, v="CANARY-5"))
    except IntegrityError as error:
        assert "CANARY-5" not in str(error)
    else:
        raise AssertionError("the duplicate key was accepted")
