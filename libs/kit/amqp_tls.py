"""TLS to the broker, with the server's certificate and host name verified (docs/privacy.md, deploy/rabbitmq/).

An `amqps://` AMQP_URI turns TLS on for nameko (kombu/py-amqp) and for pika alike. AMQP_SSL_CA names the CA
bundle that signed the broker's certificate (default: the system's trust store); AMQP_SSL_SERVER_NAME overrides
the host name checked against the certificate (default: the host in AMQP_URI).
"""
import ssl
from urllib.parse import urlparse

import pika

from libs.kit import config


def _tls_settings(uri):
    parsed = urlparse(uri)
    if parsed.scheme != "amqps":
        return None
    return config.env("AMQP_SSL_CA"), config.env("AMQP_SSL_SERVER_NAME", parsed.hostname)


def nameko_ssl(uri):
    """The AMQP_SSL value for nameko's config, or None for plain amqp://."""
    settings = _tls_settings(uri)
    if settings is None:
        return None
    ca_file, server_name = settings
    # py-amqp builds ssl.create_default_context(**context) (verify_mode CERT_REQUIRED) and checks the host name
    return {"context": {"cafile": ca_file, "check_hostname": True}, "server_hostname": server_name}


def pika_parameters(uri):
    parameters = pika.URLParameters(uri)
    settings = _tls_settings(uri)
    if settings is not None:
        ca_file, server_name = settings
        context = ssl.create_default_context(cafile=ca_file)  # CERT_REQUIRED and check_hostname on
        parameters.ssl_options = pika.SSLOptions(context, server_hostname=server_name)
    return parameters
