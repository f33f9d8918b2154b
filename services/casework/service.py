"""The casework service: nameko adapter. Events in → use_cases/case_events.py; the workspace's pages → web/pages.py;
timers keep the key directory published and the queue gauges fresh."""
from functools import lru_cache

from nameko.timer import timer
from nameko.web.handlers import http

from libs.kit.config import nameko_config
from libs.kit.consuming import consumes
from libs.kit.dependencies import Database, Ops
from libs.kit.logs import get_logger
from services.casework import settings
from services.casework.domain.server_keys import ServerKeys
from services.casework.settings import SERVICE
from services.casework.tables import inbox, metadata
from services.casework.use_cases import case_events, conversation, demo, feedback, key_directory, metrics_refresh
from services.casework.web import pages, static_files
from services.casework.web.http import BadRequest

log = get_logger()


@lru_cache(maxsize=1)
def server_keys():
    return ServerKeys(settings.load().secret)


def _desk(db):
    return pages.Desk(db, settings.load(), server_keys())


@consumes({
    "complaint.sealed": case_events.on_complaint_sealed,
    "referral.planned": case_events.on_referral_planned,
    "referral.deadline_due": case_events.on_referral_clock,
    "referral.escalation_available": case_events.on_referral_clock,
    "complaint.progress_reported": case_events.on_progress_reported,
    "mediation.assigned": case_events.on_mediation_event,
    "mediation.unmatched": case_events.on_mediation_event,
    "mediation.outcome_recorded": case_events.on_mediation_event,
    "referral.partner_status_changed": case_events.on_partner_status_changed,
    "complaint.messages_stopped": case_events.on_messages_stopped,
    "complaint.withdrawn": case_events.on_complaint_withdrawn,
    "conversation.person_wrote": conversation.on_person_wrote,
    "conversation.read_by_person": conversation.on_read_by_person,
    "complaint.feedback_given": feedback.on_feedback_given,
}, inbox=inbox, settings=settings.load)
class CaseworkService:
    name = SERVICE
    db = Database(SERVICE, metadata)
    ops = Ops(SERVICE)

    def _serve(self, handler, request, *args):
        """A form that cannot be read gets a clear page; nothing changes."""
        try:
            return handler(request, _desk(self.db), *args)
        except BadRequest as failure:
            return pages.bad_request(request, failure)

    @http("GET", "/")
    def home(self, request):
        return self._serve(pages.home, request)

    @http("GET,POST", "/sign-in")
    def sign_in(self, request):
        return self._serve(pages.sign_in, request)

    @http("GET,POST", "/sign-in/code")
    def second_factor(self, request):
        return self._serve(pages.second_factor_step, request)

    @http("GET,POST", "/setup")
    def setup(self, request):
        return self._serve(pages.setup, request)

    @http("GET,POST", "/setup/second-factor")
    def enrol(self, request):
        return self._serve(pages.enrol_second_factor, request)

    @http("POST", "/sign-out")
    def sign_out(self, request):
        return self._serve(pages.sign_out, request)

    @http("POST", "/language")
    def language(self, request):
        return self._serve(pages.choose_language, request)

    @http("GET", "/queue")
    def queue(self, request):
        return self._serve(pages.queue_page, request)

    @http("GET", "/cases/<string:case_ref>")
    def case(self, request, case_ref):
        return self._serve(pages.case_page, request, case_ref)

    @http("POST", "/cases/<string:case_ref>/<string:action>")
    def case_action(self, request, case_ref, action):
        return self._serve(pages.case_action, request, case_ref, action)

    @http("GET", "/cases/<string:case_ref>/files/<string:attachment_id>")
    def case_file_download(self, request, case_ref, attachment_id):
        return self._serve(pages.download, request, case_ref, attachment_id)

    @http("GET,POST", "/audit")
    def audit(self, request):
        return self._serve(pages.audit_page, request)

    @http("GET,POST", "/signals")
    def signals(self, request):
        return self._serve(pages.signals_page, request)

    @http("GET,POST", "/accounts")
    def accounts(self, request):
        return self._serve(pages.accounts_page, request)

    @http("GET,POST", "/account")
    def own_account(self, request):
        return self._serve(pages.own_account, request)

    @http("GET", "/static/<string:name>")
    def static(self, request, name):
        return static_files.response(name) or pages.not_found(request, None)

    @http("GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS", "/<path:path>")
    def not_found(self, request, path):
        return pages.not_found(request, None)

    @timer(interval=3600, eager=True)
    def publish_key_directory(self):
        """At start (and hourly): the key directory intake seals for, published when it changed; demo accounts for a
        local run first, so the first directory already holds their keys."""
        current = settings.load()
        with self.db() as session:
            if current.demo_accounts:
                created = demo.ensure(session, server_keys(), current)
                if created:
                    log.warning("demo_accounts.created", count=len(created), file=str(demo.demo_file()))
            version = key_directory.publish_if_changed(session, current)
            session.commit()
        if version:
            log.info("key_directory.published", version=version)

    @timer(interval=30)
    def refresh_gauges(self):
        with self.db() as session:
            metrics_refresh.refresh(session, settings.Settings.today())


def config():
    settings.load()  # fail at start, not on the first request, when a secret or key is malformed
    return nameko_config(SERVICE, WEB_SERVER_ADDRESS=settings.load().web_address)
