"""The AsyncAPI 3.0 description of the partner exchange, with payload schemas generated from marshmallow.

docs/asyncapi.yaml is this function's output; a contract test keeps them equal. Regenerate with
`python -m libs.contracts.asyncapi > docs/asyncapi.yaml`.
"""
import sys

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from libs.contracts.partner_events import (
    SIGNAL_REPORT_EVENT_TYPE, SIGNAL_REPORT_SECTORS, SIGNAL_REPORT_SOURCE, PartnerReferralData, PartnerWithdrawalData,
    SignalReportPublishedData,
)
from libs.contracts.partner_updates import (EVENT_ID_PATTERN, PartnerStatusData, SOURCE_PATTERN, SUBJECT_PATTERN,
                                            UPDATE_STATUSES, UPDATE_TYPE)

EXCHANGE = "voorportaal.referrals.v1"
SOURCE = "urn:voorportaal:routing"
CONTENT_TYPE = "application/cloudevents+json"
ACTIONS = ("created", "updated", "withdrawn")
TRACEPARENT_PATTERN = "^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"
UPDATES_EXCHANGE = "voorportaal.partner-updates.v1"
VERSION = "1.2.0"  # 1.1: partners' status updates (voorportaal.partner-updates.v1); 1.2: the signal report
# the broker partners connect to: AMQP 0-9-1 over TLS only, on the vhost `voorportaal`, each with its own user
PRODUCTION_HOST = "amqp.voorportaal.example:5671"
PRODUCTION_VHOST = "voorportaal"


def _data_schemas() -> dict:
    spec = APISpec("voorportaal partner referrals", VERSION, "3.1.0", plugins=[MarshmallowPlugin()])
    spec.components.schema("PartnerReferralData", schema=PartnerReferralData)
    spec.components.schema("PartnerWithdrawalData", schema=PartnerWithdrawalData)
    spec.components.schema("PartnerStatusData", schema=PartnerStatusData)
    spec.components.schema("SignalReportPublishedData", schema=SignalReportPublishedData)
    return spec.to_dict()["components"]["schemas"]


def _envelope(action: str) -> dict:
    data_ref = "PartnerWithdrawalData" if action == "withdrawn" else "PartnerReferralData"
    return {
        "type": "object",
        "description": f"CloudEvents 1.0 structured-mode envelope of a referral {action} event.",
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "subject", "data"],
        "additionalProperties": False,
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "minLength": 1, "maxLength": 64,
                   "description": "Unique per event; consumers deduplicate on it."},
            "source": {"type": "string", "const": SOURCE},
            "type": {"type": "string", "const": f"nl.voorportaal.referral.{action}.v1"},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "subject": {"type": "string", "pattern": SUBJECT_PATTERN,
                        "description": "Pseudonymous case id for this partner only: HMAC-SHA256 of the partner id "
                                       "and the desk's case reference under a server-side key, truncated."},
            "correlationid": {"type": ["string", "null"]},
            "traceparent": {"type": "string", "pattern": TRACEPARENT_PATTERN,
                            "description": "CloudEvents distributed-tracing extension: the W3C trace context the "
                                           "event was made in (version-traceid-parentid-flags). Optional; continue "
                                           "the trace from it if you trace, otherwise ignore it."},
            "tracestate": {"type": "string", "maxLength": 512,
                           "description": "CloudEvents distributed-tracing extension: W3C tracestate, only when "
                                          "the trace has one. Optional; ignore it unless you trace."},
            "data": {"$ref": f"#/components/schemas/{data_ref}"},
        },
    }


def _status_envelope() -> dict:
    return {
        "type": "object",
        "description": "CloudEvents 1.0 structured-mode envelope of a partner's status update about one referral. "
                       "Published by the partner with its own credentials; the AMQP `user_id` property must be "
                       "set to the partner's broker user (the broker checks it against the connection).",
        "required": ["specversion", "id", "source", "type", "time", "subject", "data"],
        "additionalProperties": False,
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "pattern": EVENT_ID_PATTERN,
                   "description": "Unique per update; a repeated id is applied once."},
            "source": {"type": "string", "pattern": SOURCE_PATTERN,
                       "description": "`urn:voorportaal:partner:<partner-id>`: the publishing partner itself."},
            "type": {"type": "string", "const": UPDATE_TYPE},
            "time": {"type": "string", "format": "date-time",
                     "description": "When the status changed at the partner, with a time zone offset."},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "subject": {"type": "string", "pattern": SUBJECT_PATTERN,
                        "description": "The `subject` of the referral this update is about, exactly as the partner "
                                       "received it. Only subjects given to this partner are accepted."},
            "data": {"$ref": "#/components/schemas/PartnerStatusData"},
        },
    }


def _signal_envelope() -> dict:
    return {
        "type": "object",
        "description": "CloudEvents 1.0 structured-mode envelope of the signal report's announcement for one sector. "
                       "No subject: it is about no case.",
        "required": ["specversion", "id", "source", "type", "time", "datacontenttype", "data"],
        "additionalProperties": False,
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "minLength": 1, "maxLength": 64,
                   "description": "Unique per event; consumers deduplicate on it."},
            "source": {"type": "string", "const": SIGNAL_REPORT_SOURCE},
            "type": {"type": "string", "const": SIGNAL_REPORT_EVENT_TYPE},
            "time": {"type": "string", "format": "date-time"},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "subject": {"type": "null"},
            "correlationid": {"type": ["string", "null"]},
            "data": {"$ref": "#/components/schemas/SignalReportPublishedData"},
        },
    }


def _status_channel() -> dict:
    return {
        "address": "partner.{partnerId}.{status}",
        "description": "Routing key of a partner's status update: its own partner id (the only keys its user may "
                       "publish with) and the status in `data`.",
        "parameters": {"partnerId": {"description": "The publishing partner's id."},
                       "status": {"description": "The status in `data`.", "enum": list(UPDATE_STATUSES)}},
        "messages": {"partnerStatusUpdated": {"$ref": "#/components/messages/partnerStatusUpdated"}},
        "bindings": {"amqp": {"is": "routingKey", "bindingVersion": "0.3.0",
                              "exchange": {"name": UPDATES_EXCHANGE, "type": "topic", "durable": True,
                                           "autoDelete": False, "vhost": PRODUCTION_VHOST}}},
    }


def _amqp_channel_binding() -> dict:
    return {"amqp": {"is": "routingKey", "bindingVersion": "0.3.0",
                     "exchange": {"name": EXCHANGE, "type": "topic", "durable": True, "autoDelete": False,
                                  "vhost": PRODUCTION_VHOST}}}


def _message_name(action: str) -> str:
    return f"referral{action.capitalize()}"


def build_asyncapi() -> dict:
    schemas = _data_schemas()
    for action in ACTIONS:
        schemas[f"Referral{action.capitalize()}Event"] = _envelope(action)
    channels, operations, messages = {}, {}, {}
    for action in ACTIONS:
        name = _message_name(action)
        channels[name] = {
            "address": f"referral.{{partnerId}}.{action}",
            "description": f"Routing key of referral {action} events for one partner.",
            "parameters": {"partnerId": {"description": "The partner's id (lowercase letters, digits, dashes)."}},
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
            "bindings": {"amqp": {"is": "routingKey", "bindingVersion": "0.3.0",
                                  "exchange": {"name": EXCHANGE, "type": "topic", "durable": True,
                                               "autoDelete": False, "vhost": PRODUCTION_VHOST}}},
        }
        operations[f"send{name[0].upper()}{name[1:]}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{name}"},
            "messages": [{"$ref": f"#/channels/{name}/messages/{name}"}],
            "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": "0.3.0"}},
        }
        messages[name] = {
            "name": name, "title": f"Referral {action}", "contentType": CONTENT_TYPE,
            "payload": {"$ref": f"#/components/schemas/Referral{action.capitalize()}Event"},
            "bindings": {"amqp": {"messageType": f"nl.voorportaal.referral.{action}.v1", "bindingVersion": "0.3.0"}},
        }
    schemas["PartnerStatusUpdatedEvent"] = _status_envelope()
    channels["partnerStatusUpdated"] = _status_channel()
    operations["receivePartnerStatusUpdated"] = {
        "action": "receive", "channel": {"$ref": "#/channels/partnerStatusUpdated"},
        "messages": [{"$ref": "#/channels/partnerStatusUpdated/messages/partnerStatusUpdated"}],
        "description": "Voorportaal receives a partner's status updates. A forged, malformed, unknown-case or "
                       "other-partner update is refused and counted, never applied.",
        "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": "0.3.0"}},
    }
    messages["partnerStatusUpdated"] = {
        "name": "partnerStatusUpdated", "title": "Partner status update", "contentType": CONTENT_TYPE,
        "payload": {"$ref": "#/components/schemas/PartnerStatusUpdatedEvent"},
        "bindings": {"amqp": {"messageType": UPDATE_TYPE, "bindingVersion": "0.3.0"}},
    }
    schemas["SignalReportPublishedEvent"] = _signal_envelope()
    channels["signalReportPublished"] = {
        "address": "signals.{sector}",
        "description": "The desk's quarterly signal report for one sector (published, disclosure-controlled counts "
                       "only; never a case). Delivered to `partner.<partner-id>.signals` for each sector the partner "
                       "subscribed to.",
        "parameters": {"sector": {"description": "The sector.", "enum": list(SIGNAL_REPORT_SECTORS)}},
        "messages": {"signalReportPublished": {"$ref": "#/components/messages/signalReportPublished"}},
        "bindings": _amqp_channel_binding(),
    }
    operations["sendSignalReportPublished"] = {
        "action": "send", "channel": {"$ref": "#/channels/signalReportPublished"},
        "messages": [{"$ref": "#/channels/signalReportPublished/messages/signalReportPublished"}],
        "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": "0.3.0"}},
    }
    messages["signalReportPublished"] = {
        "name": "signalReportPublished", "title": "Signal report published", "contentType": CONTENT_TYPE,
        "payload": {"$ref": "#/components/schemas/SignalReportPublishedEvent"},
        "bindings": {"amqp": {"messageType": SIGNAL_REPORT_EVENT_TYPE, "bindingVersion": "0.3.0"}},
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Voorportaal partner referrals", "version": VERSION,
                 "description": "Referrals the routing service publishes to institutional partners, only with the "
                                "person's consent and only with the fields the partner's contract lists, the status "
                                "updates partners publish back about them, and the quarterly signal report the "
                                "analytics service announces per sector to the partners that subscribed to it. A "
                                "partner's credentials can read only its own queues (`partner.<partner-id>.referrals`, "
                                "`partner.<partner-id>.signals`) and publish only to "
                                f"`{UPDATES_EXCHANGE}` with routing keys `partner.<partner-id>.<status>`."},
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "production": {
                "host": PRODUCTION_HOST, "protocol": "amqps", "protocolVersion": "0.9.1",
                "pathname": f"/{PRODUCTION_VHOST}",
                "description": f"Voorportaal's broker for partners: AMQP 0-9-1 over TLS only (port 5671; the "
                               f"certificate is verified against the CA the desk hands over, host name included), "
                               f"vhost `{PRODUCTION_VHOST}`, one user per partner (`partner-<partner-id>`) that can "
                               f"read only its own queues `partner.<partner-id>.referrals` and, when it subscribed "
                               f"to sectors of the signal report, `partner.<partner-id>.signals`, and publish only "
                               f"its own status updates to `{UPDATES_EXCHANGE}`.",
                "security": [{"$ref": "#/components/securitySchemes/partnerUser"}],
            },
            "local": {
                "host": "localhost:5672", "protocol": "amqp", "protocolVersion": "0.9.1",
                "description": "A local run (`make run`): plain AMQP on the default vhost `/`, user guest.",
            },
        },
        "channels": channels, "operations": operations,
        "components": {
            "schemas": schemas, "messages": messages,
            "securitySchemes": {"partnerUser": {
                "type": "userPassword",
                "description": "The partner's RabbitMQ user and password (PLAIN over TLS), handed over by the desk."}},
        },
    }


def render_asyncapi() -> str:
    return yaml.safe_dump(build_asyncapi(), sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    sys.stdout.write(render_asyncapi())
