"""OpenAPI 3.1 description of the public API, generated from the marshmallow schemas (apispec). Its paths and
methods are the service's API entrypoints (api_routes.py); a unit test holds the two equal."""
from functools import lru_cache

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from services.intake.web.api_schemas import (
    ComplaintCreated, ComplaintRequest, ErrorBody, FeedbackAnswer, ProgressUpdate, RouteQuery,
)

ERRORS = {
    "400": "Invalid JSON or fields that need attention (listed in error.fields)",
    "401": "Receipt required (Authorization: Receipt <receipt>)",
    "404": "Unknown reference or wrong receipt (the same answer for both)",
    "413": "Body larger than 1 MB",
    "415": "Body is not application/json",
    "422": "Idempotency-Key reused with a different body",
    "405": "This address does not take that method (see Allow)",
    "429": "Too many requests or attempts; see Retry-After",
    "409": "This complaint has no conversation (filed before the desk's workspace existed)",
    "406": "Accept names none of application/pdf, text/html, text/plain",
}
MESSAGE = {"type": "object", "required": ["id", "from", "text", "sent_at", "read_at", "attachments"],
           "properties": {
               "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
               "from": {"enum": ["person", "desk"]},
               "text": {"type": "string"},
               "sent_at": {"type": "string", "format": "date-time"},
               "read_at": {"type": ["string", "null"], "format": "date-time",
                           "description": "When the other side read it"},
               "request_due": {"type": ["string", "null"], "format": "date",
                               "description": "The desk asked for information or a document by this date"},
               "attachments": {"type": "array", "items": {"type": "object", "properties": {
                   "attachment_id": {"type": "string"}, "name": {"type": "string"},
                   "content_type": {"enum": ["application/pdf", "image/jpeg", "image/png"]},
                   "size": {"type": "integer"}}}}}}


def _errors(*codes):
    return {code: {"description": ERRORS[code],
                   "content": {"application/json": {"schema": "ErrorBody"}}} for code in codes}


RECEIPT = [{"receipt": []}]
REFERENCE = {"name": "reference", "in": "path", "required": True,
             "schema": {"type": "string", "pattern": "^VP-[0-9A-Z]{4}-[0-9A-Z]{4}$"}}


@lru_cache(maxsize=1)
def openapi_document():
    spec = APISpec(title="Voorportaal public API", version="1.0.0", openapi_version="3.1.0",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "File a complaint, follow it with your receipt, withdraw it."})
    spec.components.security_scheme("receipt", {
        "type": "http", "scheme": "Receipt",
        "description": "The receipt shown once when the complaint was filed. Never put it in a URL."})
    for name, schema in (("ComplaintRequest", ComplaintRequest), ("ComplaintCreated", ComplaintCreated),
                         ("ProgressUpdate", ProgressUpdate), ("ErrorBody", ErrorBody), ("RouteQuery", RouteQuery),
                         ("FeedbackAnswer", FeedbackAnswer)):
        spec.components.schema(name, schema=schema)
    spec.path(path="/api/v1/complaints", operations={"post": {
        "summary": "File a complaint",
        "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "minLength": 8, "maxLength": 128}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "ComplaintRequest"}}},
        "responses": {"201": {"description": "Stored durably; the receipt is shown only now. A repeated request "
                                             "with the same Idempotency-Key and body gets the reference only "
                                             "(receipt_shown_before: true): the receipt is never shown twice",
                              "headers": {"Location": {"description": "The status URL (no receipt in it)",
                                                       "schema": {"type": "string"}}},
                              "content": {"application/json": {"schema": "ComplaintCreated"}}},
                      **_errors("400", "413", "415", "422")}}})
    spec.path(path="/api/v1/complaints/{reference}", operations={
        "get": {"summary": "Status and referral plan", "security": RECEIPT, "parameters": [REFERENCE],
                "responses": {"200": {"description": "The case as the person may see it",
                                      "content": {"application/json": {"schema": {"type": "object"}}}},
                              **_errors("401", "404", "429")}},
        "delete": {"summary": "Withdraw and erase", "security": RECEIPT, "parameters": [REFERENCE],
                   "responses": {"200": {"description": "Withdrawn; erasure reaches every service and partner",
                                         "content": {"application/json": {"schema": {"type": "object"}}}},
                                 **_errors("401", "404", "429")}}})
    spec.path(path="/api/v1/complaints/{reference}/updates", operations={"post": {
        "summary": "Report progress with the institution", "security": RECEIPT, "parameters": [REFERENCE],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "ProgressUpdate"}}},
        "responses": {"202": {"description": "Accepted; routing recomputes the deadlines",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      **_errors("400", "401", "404", "413", "415", "429")}}})
    spec.path(path="/api/v1/complaints/{reference}/feedback", operations={"post": {
        "summary": "Answer \"did it help?\" (the case closed) or \"is it solved?\" (an answer was due): once, within "
                   "90 days of the question (the status view's feedback_question)",
        "security": RECEIPT, "parameters": [REFERENCE],
        "requestBody": {"required": True, "content": {"application/json": {"schema": "FeedbackAnswer"}}},
        "responses": {"201": {"description": "Stored; a reopen request puts the case back in the desk's queue",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      **_errors("400", "401", "404", "413", "415", "429"),
                      "409": {"description": "No question to answer: error.code not_asked, already_given, "
                                             "window_closed, or comment_not_possible (no conversation)",
                              "content": {"application/json": {"schema": "ErrorBody"}}}}}})
    spec.path(path="/api/v1/complaints/{reference}/contact", operations={"delete": {
        "summary": "Stop status messages (withdraw consent to be contacted); the complaint stays open",
        "security": RECEIPT, "parameters": [REFERENCE],
        "responses": {"200": {"description": "No more messages; notification forgets the address. Idempotent",
                              "content": {"application/json": {"schema": {
                                  "type": "object", "required": ["reference", "contact_consent"],
                                  "properties": {"reference": {"type": "string"},
                                                 "contact_consent": {"const": False}}}}}},
                      **_errors("401", "404", "429")}}})
    spec.path(path="/api/v1/complaints/{reference}/messages", operations={
        "get": {"summary": "The conversation with the desk, oldest first, with read marks (the desk's messages are "
                           "marked read by this call)", "security": RECEIPT, "parameters": [REFERENCE],
                "responses": {"200": {"description": "Opened with the receipt for this request only",
                                      "content": {"application/json": {"schema": {
                                          "type": "object", "properties": {
                                              "reference": {"type": "string"},
                                              "messages": {"type": "array", "items": MESSAGE}}}}}},
                              **_errors("401", "404", "409", "429")}},
        "post": {"summary": "Write to the desk: sealed on arrival; up to three PDF, JPEG or PNG files of 5 MB "
                            "(multipart/form-data, field `attachment`)", "security": RECEIPT, "parameters": [REFERENCE],
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": {"type": "object", "additionalProperties": False,
                                                     "properties": {"text": {"type": "string", "maxLength": 10000}}}},
                     "multipart/form-data": {"schema": {"type": "object", "properties": {
                         "text": {"type": "string", "maxLength": 10000},
                         "attachment": {"type": "array", "maxItems": 3,
                                        "items": {"type": "string", "format": "binary"}}}}}}},
                 "responses": {"201": {"description": "Stored sealed; the id of the new message",
                                       "content": {"application/json": {"schema": {
                                           "type": "object", "properties": {"reference": {"type": "string"},
                                                                            "id": {"type": "string"}}}}}},
                               **_errors("400", "401", "404", "409", "413", "415", "429")}}})
    spec.path(path="/api/v1/complaints/{reference}/messages/{message_id}/attachments/{attachment_id}",
              operations={"get": {
                  "summary": "One file of the conversation, opened with the receipt", "security": RECEIPT,
                  "parameters": [REFERENCE,
                                 {"name": "message_id", "in": "path", "required": True, "schema": {"type": "string"}},
                                 {"name": "attachment_id", "in": "path", "required": True,
                                  "schema": {"type": "string"}}],
                  "responses": {"200": {"description": "The file as a download",
                                        "content": {t: {"schema": {"type": "string", "format": "binary"}}
                                                    for t in ("application/pdf", "image/jpeg", "image/png")}},
                                **_errors("401", "404", "429")}}})
    spec.path(path="/api/v1/route", operations={"post": {
        "summary": "What are my options? A referral plan for the given facts; stores nothing, emits nothing",
        "requestBody": {"required": True, "content": {"application/json": {"schema": "RouteQuery"}}},
        "responses": {"200": {"description": "The plan: ordered steps with status, reasons and dates",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      **_errors("400", "413", "415", "429")}}})
    spec.path(path="/api/v1/channels", operations={"get": {
        "summary": "The channel directory (public facts, each with its source and verification date)",
        "responses": {"200": {"description": "Directory version and channels",
                              "content": {"application/json": {"schema": {"type": "object"}}}},
                      **_errors("429")}}})
    _letters(spec)
    return spec.to_dict()


def _letters(spec):
    """POST /api/v1/letters (web/letter_api.py): a complaint letter built from the facts; stateless."""
    from services.intake.web.letter_api import LetterRequestSchema  # noqa: PLC0415 - keeps this module's imports
    spec.components.schema("LetterRequest", schema=LetterRequestSchema)
    document = {"schema": {"type": "string", "format": "binary"}}
    spec.path(path="/api/v1/letters", operations={"post": {
        "summary": "A ready complaint letter in Dutch, with the same letter in the person's language; stores, "
                   "logs and sends nothing (the sender's name and address are used only to print it)",
        "description": "For a channel that takes a written complaint (the institution's own procedure, the "
                       "police, a bank's or insurer's procedure, Kifid, an ombudsman, a care provider, a health "
                       "insurer, SKGZ). Choose the document with Accept: application/pdf, text/html or text/plain; "
                       "anything else (also a bare */*) is 406. 400 names the fields the law or the body needs "
                       "(for example Awb 9:4: name and address; the police take no anonymous complaint).",
        "requestBody": {"required": True, "content": {"application/json": {"schema": "LetterRequest"}}},
        "responses": {"200": {"description": "The letter (Dutch, to send), the notes and where to send it, and the "
                                             "translation for the person",
                              "content": {"application/pdf": document,
                                          "text/html": {"schema": {"type": "string"}},
                                          "text/plain": {"schema": {"type": "string"}}}},
                      **_errors("400", "406", "413", "415", "429")}}})
