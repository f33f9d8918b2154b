"""The intake service: nameko adapter over filing.py (HTTP in, events out through the outbox)."""
import re

from marshmallow import ValidationError
from nameko.timer import timer
from nameko.web.handlers import http

from libs.kit.config import env, env_int, nameko_config
from libs.kit.dependencies import Database, Ops
from libs.kit.consuming import consumes
from libs.kit.logs import get_logger
from libs.kit.secrets_store import load_messaging_public_key as load_messaging_key
from libs.kit.secrets_store import load_secret
from services.intake import filing, form_handlers, route_explorer
from services.intake.case_keys import load_public_keys
from services.intake.http_support import (
    HttpError, error_response, json_response, observed, read_json_body, validation_fields,
)
from services.intake.metrics import COMPLAINTS_RECEIVED
from services.intake.openapi import openapi_document
from services.intake.models import inbox, metadata
from services.intake.receipt_check import check_receipt
from services.intake.receipt_guard import ReceiptGuard
from services.intake.schemas import ComplaintRequest, ProgressUpdate
from services.intake.web import pages

log = get_logger()
SERVICE = "intake"
RECEIPT_SCHEME = "receipt "


# known addresses and their methods: a wrong method there is a 405, anywhere else a 404
KNOWN_ROUTES = (
    (re.compile(r"^/api/v1/complaints$"), ("POST",)),
    (re.compile(r"^/api/v1/complaints/[^/]+$"), ("GET", "DELETE")),
    (re.compile(r"^/api/v1/complaints/[^/]+/updates$"), ("POST",)),
    (re.compile(r"^/api/v1/complaints/[^/]+/contact$"), ("DELETE",)),
    (re.compile(r"^/api/v1/route$"), ("POST",)),
    (re.compile(r"^/api/v1/channels$"), ("GET",)),
    (re.compile(r"^/openapi\.json$"), ("GET",)),
)


def allowed_methods(path):
    return next((methods for pattern, methods in KNOWN_ROUTES if pattern.match(path)), ())


class Secrets:
    """Loaded once per process, on first use (the env or var/ files must be readable then)."""
    receipt_key = None
    public_keys = None
    messaging_key = None  # notification's public key for complainant messages (COMPLAINANT_MESSAGING_PUBLIC_KEY)

    @classmethod
    def ensure(cls):
        if cls.receipt_key is None:
            cls.receipt_key = load_secret("RECEIPT_KEY")
            cls.public_keys = load_public_keys()
            cls.messaging_key = load_messaging_key()
        return cls


GUARD = ReceiptGuard()
# built once: constructing a marshmallow schema costs more than a load, and these keep no per-request state
COMPLAINT_SCHEMA, PROGRESS_SCHEMA = ComplaintRequest(), ProgressUpdate()


@consumes({
    "referral.planned": filing.apply_status_event,
    "mediation.assigned": filing.apply_status_event,
    "mediation.outcome_recorded": filing.apply_status_event,
}, inbox=inbox)
class IntakeService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    # -- complaints API -----------------------------------------------------------------------------------
    @http("POST", "/api/v1/complaints")
    @observed("/api/v1/complaints")
    def file_complaint(self, request):
        body = read_json_body(request)
        try:
            complaint = COMPLAINT_SCHEMA.load(body)
        except ValidationError as exc:
            raise HttpError(400, "invalid_complaint", "Some fields need attention.",
                            validation_fields(exc.messages)) from None
        idempotency_key = request.headers.get("Idempotency-Key")
        if idempotency_key is not None and not (8 <= len(idempotency_key) <= 128):
            raise HttpError(400, "invalid_idempotency_key", "Idempotency-Key must be 8 to 128 characters.")
        secrets = Secrets.ensure()
        with self.db() as session:
            try:
                filed = filing.file_complaint(session, complaint, secrets.receipt_key, secrets.public_keys,
                                              idempotency_key, messaging_key=secrets.messaging_key)
            except filing.IdempotencyConflict:
                raise HttpError(422, "idempotency_key_reused",
                                "This Idempotency-Key was used for a different complaint.") from None
        if filed.created:
            COMPLAINTS_RECEIVED.inc()
            log.info("complaint.accepted", case_ref=filed.reference)
        return json_response(201, {"reference": filed.reference, "receipt": filed.receipt,
                                   "status_url": f"/api/v1/complaints/{filed.reference}"},
                             {"Location": f"/api/v1/complaints/{filed.reference}"})

    @http("GET", "/api/v1/complaints/<string:reference>")
    @observed("/api/v1/complaints/{reference}")
    def show_complaint(self, request, reference):
        with self.db() as session:
            self._authorise(session, request, reference)
            return json_response(200, filing.case_view(session, reference))

    @http("POST", "/api/v1/complaints/<string:reference>/updates")
    @observed("/api/v1/complaints/{reference}/updates")
    def report_progress(self, request, reference):
        body = read_json_body(request)
        with self.db() as session:
            self._authorise(session, request, reference)
            try:
                update = PROGRESS_SCHEMA.load(body)
            except ValidationError as exc:
                raise HttpError(400, "invalid_update", "Some fields need attention.",
                                validation_fields(exc.messages)) from None
            filing.report_progress(session, reference, update["kind"], update["on"])
        return json_response(202, {"reference": reference, "accepted": True})

    @http("DELETE", "/api/v1/complaints/<string:reference>")
    @observed("/api/v1/complaints/{reference}")
    def withdraw(self, request, reference):
        with self.db() as session:
            self._authorise(session, request, reference)
            filing.withdraw(session, reference)
        log.info("complaint.withdrawn", case_ref=reference)
        return json_response(200, {"reference": reference, "status": "withdrawn"})

    @http("DELETE", "/api/v1/complaints/<string:reference>/contact")
    @observed("/api/v1/complaints/{reference}/contact")
    def stop_messages(self, request, reference):
        """Withdraw consent to be contacted: no more status messages; the complaint stays open. Repeating it
        changes nothing."""
        with self.db() as session:
            self._authorise(session, request, reference)
            if filing.stop_messages(session, reference):
                log.info("complaint.messages_stopped", case_ref=reference)
        return json_response(200, {"reference": reference, "contact_consent": False})

    # -- the server-rendered form (services/intake/web) ------------------------------------------------------
    def _file(self, complaint):
        secrets = Secrets.ensure()
        with self.db() as session:
            filed = filing.file_complaint(session, complaint, secrets.receipt_key, secrets.public_keys,
                                          messaging_key=secrets.messaging_key)
        COMPLAINTS_RECEIVED.inc()
        log.info("complaint.accepted", case_ref=filed.reference, via="form")
        return filed

    def _form_receipt_check(self, session, reference, receipt):
        return check_receipt(session, GUARD, Secrets.ensure().receipt_key, reference, receipt).outcome

    @http("GET", "/")
    @observed("/")
    def home(self, request):
        lang = pages.negotiate_language(request.headers.get("Accept-Language"))
        return form_handlers.start_page(request, lang)

    @http("GET", "/<string:lang>/")
    @observed("/{lang}/")
    @form_handlers.known_language
    def start(self, request, lang):
        return form_handlers.start_page(request, lang)

    @http("GET,POST", "/<string:lang>/form")
    @observed("/{lang}/form")
    @form_handlers.known_language
    def form(self, request, lang):
        return form_handlers.form_page(request, lang, self._file)

    @http("GET,POST", "/<string:lang>/follow-up")
    @observed("/{lang}/follow-up")
    @form_handlers.known_language
    def follow_up(self, request, lang):
        return form_handlers.follow_up_page(request, lang, self.db, self._form_receipt_check)

    @http("GET", "/static/<string:name>")
    @observed("/static/{name}")
    def static(self, request, name):
        return form_handlers.static(name) or form_handlers.error_page("nl", 404)

    @http("GET,POST", "/<string:lang>/options")
    @observed("/{lang}/options")
    @form_handlers.known_language
    def options(self, request, lang):
        return form_handlers.options_page(request, lang, route_explorer.plan_for_page)

    @http("POST", "/api/v1/route")
    @observed("/api/v1/route")
    def route(self, request):
        body = read_json_body(request)
        try:
            query = route_explorer.RouteQuery().load(body)
        except ValidationError as exc:
            raise HttpError(400, "invalid_route_question", "Some fields need attention.",
                            validation_fields(exc.messages)) from None
        return json_response(200, route_explorer.plan_for(query))

    @http("GET", "/api/v1/channels")
    @observed("/api/v1/channels")
    def channels(self, request):
        return json_response(200, route_explorer.public_channels())

    @http("GET", "/openapi.json")
    @observed("/openapi.json")
    def openapi(self, request):
        return json_response(200, openapi_document())

    @http("GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS", "/<path:path>")
    @observed("other")
    def not_found(self, request, path):
        allowed = allowed_methods("/" + path)
        if allowed:
            return error_response(405, "method_not_allowed", "This address does not take that method.",
                                  headers={"Allow": ", ".join(allowed)})
        return error_response(404, "not_found", "There is nothing at this address.")

    def _authorise(self, session, request, reference):
        """Receipt from the Authorization header only (never the URL); rate limits before any hashing."""
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith(RECEIPT_SCHEME):
            raise HttpError(401, "receipt_required", "Send your receipt as 'Authorization: Receipt <receipt>'.",
                            headers={"WWW-Authenticate": "Receipt"})
        check = check_receipt(session, GUARD, Secrets.ensure().receipt_key, reference,
                              header[len(RECEIPT_SCHEME):].strip())
        if check.outcome == "locked":
            raise HttpError(429, "too_many_attempts", "Too many attempts. Please wait and try again.",
                            headers={"Retry-After": str(check.retry_after)})
        if check.outcome != "ok":
            # the same answer for unknown references and wrong receipts: nothing to learn from guessing
            raise HttpError(404, "not_found", "Reference or receipt not recognised.")

    # -- retention ----------------------------------------------------------------------------------------
    @timer(interval=3600)
    def purge_expired_cases(self):
        days = env_int("INTAKE_RETENTION_DAYS", 730)
        with self.db() as session:
            while (erased := filing.purge_expired(session, days)):
                log.info("retention.erased", cases=erased)


def config():
    Secrets.ensure()  # fail at start, not on the first request, when a secret is malformed
    return nameko_config(SERVICE, WEB_SERVER_ADDRESS=env("WEB_SERVER_ADDRESS", "127.0.0.1:8000"))
