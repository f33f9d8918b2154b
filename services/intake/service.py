"""The intake service: nameko adapter. HTTP in → web/ (API and pages) → use_cases/; events in →
use_cases/read_model.py; the hourly retention timer → use_cases/retention.py. Events out go through the outbox."""
from nameko.timer import timer
from nameko.web.handlers import http

from libs.kit.config import env, nameko_config
from libs.kit.consuming import consumes
from libs.kit.dependencies import Database, Ops
from libs.kit.logs import get_logger
from services.intake import settings
from services.intake.settings import SERVICE
from services.intake.tables import inbox, metadata
from services.intake import metrics
from services.intake.use_cases import conversation, feedback, key_directory, read_model, retention
from services.intake.web import api_handlers as api
from services.intake.web import conversation_handlers as conversation_api
from services.intake.web import api_routes, page_handlers, rights_handlers
from services.intake.web.languages import negotiate_language
from services.intake.web.observed import observed

log = get_logger()


@consumes({
    "referral.planned": read_model.apply_status_event,
    "mediation.assigned": read_model.apply_status_event,
    "mediation.outcome_recorded": feedback.on_mediation_outcome,  # the status view, then "did it help?"
    "case.status_changed": feedback.on_case_status_changed,
    "referral.deadline_due": feedback.on_deadline_due,
    "referral.partner_status_changed": read_model.apply_partner_status,
    "staff.key_directory_published": key_directory.on_key_directory_published,
    "conversation.desk_wrote": conversation.on_desk_wrote,
    "conversation.read_by_desk": conversation.on_read_by_desk,
}, inbox=inbox, settings=settings.load)
class IntakeService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    # -- the public API (web/api_handlers.py) ----------------------------------------------------------------
    @http("POST", "/api/v1/complaints")
    @observed("/api/v1/complaints")
    def file_complaint(self, request):
        return api.file_complaint(request, self.db, settings.load())

    @http("GET", "/api/v1/complaints/<string:reference>")
    @observed("/api/v1/complaints/{reference}")
    def show_complaint(self, request, reference):
        return api.show_complaint(request, self.db, settings.load(), reference)

    @http("POST", "/api/v1/complaints/<string:reference>/updates")
    @observed("/api/v1/complaints/{reference}/updates")
    def report_progress(self, request, reference):
        return api.report_progress(request, self.db, settings.load(), reference)

    @http("DELETE", "/api/v1/complaints/<string:reference>")
    @observed("/api/v1/complaints/{reference}")
    def withdraw(self, request, reference):
        return api.withdraw(request, self.db, settings.load(), reference)

    @http("POST", "/api/v1/complaints/<string:reference>/feedback")
    @observed("/api/v1/complaints/{reference}/feedback")
    def give_feedback(self, request, reference):
        return api.give_feedback(request, self.db, settings.load(), reference)

    @http("DELETE", "/api/v1/complaints/<string:reference>/contact")
    @observed("/api/v1/complaints/{reference}/contact")
    def stop_messages(self, request, reference):
        return api.stop_messages(request, self.db, settings.load(), reference)

    # -- the conversation with the desk (web/conversation_handlers.py) ------------------------------------------
    @http("GET", "/api/v1/complaints/<string:reference>/messages")
    @observed("/api/v1/complaints/{reference}/messages")
    def list_messages(self, request, reference):
        return conversation_api.list_messages(request, self.db, settings.load(), reference)

    @http("POST", "/api/v1/complaints/<string:reference>/messages")
    @observed("/api/v1/complaints/{reference}/messages")
    def post_message(self, request, reference):
        return conversation_api.post_message(request, self.db, settings.load(), reference)

    @http("GET", "/api/v1/complaints/<string:reference>/messages/<string:message_id>/attachments/<string:attachment_id>")
    @observed("/api/v1/complaints/{reference}/messages/{message_id}/attachments/{attachment_id}")
    def download_attachment(self, request, reference, message_id, attachment_id):
        return conversation_api.download(request, self.db, settings.load(), reference, attachment_id)

    @http("POST", "/api/v1/route")
    @observed("/api/v1/route")
    def route(self, request):
        return api.route(request)

    @http("GET", "/api/v1/channels")
    @observed("/api/v1/channels")
    def channels(self, request):
        return api.channels()

    @http("GET", "/openapi.json")
    @observed("/openapi.json")
    def openapi(self, request):
        return api.openapi()

    # -- the server-rendered pages (web/page_handlers.py) ----------------------------------------------------
    @http("GET", "/")
    @observed("/")
    def home(self, request):
        return page_handlers.start_page(request, negotiate_language(request.headers.get("Accept-Language")))

    @http("GET", "/<string:lang>/")
    @observed("/{lang}/")
    @page_handlers.known_language
    def start(self, request, lang):
        return page_handlers.start_page(request, lang)

    @http("GET,POST", "/<string:lang>/form")
    @observed("/{lang}/form")
    @page_handlers.known_language
    def form(self, request, lang):
        return page_handlers.form_page(request, lang, self.db, settings.load())

    @http("GET,POST", "/<string:lang>/follow-up")
    @observed("/{lang}/follow-up")
    @page_handlers.known_language
    def follow_up(self, request, lang):
        return page_handlers.follow_up_page(request, lang, self.db, settings.load())

    @http("GET", "/static/<string:name>")
    @observed("/static/{name}")
    def static(self, request, name):
        return page_handlers.static(name)

    @http("GET,POST", "/<string:lang>/options")
    @observed("/{lang}/options")
    @page_handlers.known_language
    def options(self, request, lang):
        return page_handlers.options_page(request, lang)

    # -- the rights guide and the complaint-letter builder (web/rights_handlers.py; stateless) -------------------
    @http("POST", "/api/v1/letters")
    @observed("/api/v1/letters")
    def letters(self, request):
        return rights_handlers.letters_api(request)

    @http("GET", "/<string:lang>/rights")
    @observed("/{lang}/rights")
    @page_handlers.known_language
    def rights(self, request, lang):
        return rights_handlers.guide_page(request, lang)

    @http("GET", "/<string:lang>/rights/<string:topic>")
    @observed("/{lang}/rights/{topic}")
    def rights_topic(self, request, lang, topic):
        return rights_handlers.topic_page(request, lang, topic)

    @http("GET,POST", "/<string:lang>/letter")
    @observed("/{lang}/letter")
    @page_handlers.known_language
    def letter(self, request, lang):
        return rights_handlers.letter_page(request, lang)

    # -- any other address: 405 on an API address (with Allow), else 404 ----------------------------------------
    @http("GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS", "/<path:path>")
    @observed("other")
    def not_found(self, request, path):
        return api_routes.not_found(API_ROUTES, "/" + path)

    # -- retention ----------------------------------------------------------------------------------------
    @timer(interval=3600)
    def purge_expired_cases(self):
        days = settings.load().retention_days
        with self.db() as session:
            while (erased := retention.purge_expired(session, days, settings.load().receipt_key)):
                log.info("retention.erased", cases=erased)

    @timer(interval=60, eager=True)
    def refresh_key_directory_gauge(self):
        """The version new complaints are sealed for, also after a restart (0: none yet, filing answers 503)."""
        with self.db() as session:
            current = key_directory.latest(session)
        metrics.KEY_DIRECTORY_VERSION.set(current[0] if current else 0)


# the API's addresses and methods, read off the entrypoints above: the one list (web/api_routes.py)
API_ROUTES = api_routes.known_routes(IntakeService)


def config():
    settings.load()  # fail at start, not on the first request, when a secret or a variable is malformed
    return nameko_config(SERVICE, WEB_SERVER_ADDRESS=env("WEB_SERVER_ADDRESS", "127.0.0.1:8000"))
