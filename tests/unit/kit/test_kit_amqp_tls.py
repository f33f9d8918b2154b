"""amqps:// means verified TLS everywhere: the certificate chain and the broker's host name are checked."""
import ssl

from clients.partner.client import PartnerClient
from libs.kit.amqp_tls import nameko_ssl, pika_parameters
from libs.kit.config import nameko_config


def test_plain_amqp_has_no_tls():
    assert nameko_ssl("amqp://guest:guest@127.0.0.1:5672/%2F") is None
    assert pika_parameters("amqp://guest:guest@127.0.0.1:5672/%2F").ssl_options is None


def test_amqps_verifies_certificate_and_host_name(monkeypatch):
    monkeypatch.setenv("AMQP_URI", "amqps://svc:pw@broker.voorportaal.test:5671/voorportaal")
    monkeypatch.delenv("AMQP_SSL_SERVER_NAME", raising=False)
    tls = nameko_config("routing")["AMQP_SSL"]
    assert tls["context"]["check_hostname"] is True and tls["server_hostname"] == "broker.voorportaal.test"
    options = pika_parameters("amqps://svc:pw@broker.voorportaal.test:5671/voorportaal").ssl_options
    assert options.context.verify_mode == ssl.CERT_REQUIRED and options.context.check_hostname
    assert options.server_hostname == "broker.voorportaal.test"
    partner = PartnerClient("amqps://p:pw@broker.voorportaal.test:5671/voorportaal", "kifid")._parameters()
    assert partner.ssl_options.context.check_hostname and partner.ssl_options.server_hostname == \
        "broker.voorportaal.test"
