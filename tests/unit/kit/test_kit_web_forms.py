import io

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from libs.kit.web_forms import FormRefused, parse_form_in_memory


def _request(data, content_type):
    return Request(EnvironBuilder(method="POST", data=data, content_type=content_type).get_environ())


def test_files_are_kept_in_memory_and_the_form_is_read_once():
    photo = b"\x89PNG" + b"x" * 600_000   # over werkzeug's 500 KB threshold for spooling to disk
    request = _request({"text": "hallo", "file": (io.BytesIO(photo), "a.png", "image/png")}, None)
    parse_form_in_memory(request, max_bytes=2_000_000)
    assert request.form["text"] == "hallo"
    upload = request.files["file"]
    assert isinstance(upload.stream, io.BytesIO) and upload.read() == photo


def test_a_multipart_type_without_a_boundary_is_a_bad_request_not_a_crash():
    request = _request(b'{"text": ""}', "multipart/form-data")
    with pytest.raises(FormRefused) as refused:
        parse_form_in_memory(request, max_bytes=10_000)
    assert refused.value.status == 400


def test_a_body_over_the_limit_is_refused_before_it_is_read():
    request = _request({"text": "x" * 5_000}, None)
    with pytest.raises(FormRefused) as refused:
        parse_form_in_memory(request, max_bytes=1_000)
    assert refused.value.status == 413
