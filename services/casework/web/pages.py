"""The workspace's pages: sign-in and setup, the queue, the case page and its actions, the audit log, accounts.

Each handler gets the request and a `Desk` (database sessions, settings, server keys) and returns a response. Every
post checks the origin and, once signed in, the session's CSRF token; a refused action changes nothing and says why.
"""
import io
from dataclasses import dataclass
from datetime import date

from werkzeug.wrappers import Response

from libs.contracts.attachments import RefusedFile

import segno

from libs.kit.logs import get_logger
from libs.kit.web_security import same_origin
from services.casework import metrics
from services.casework.domain import passwords, roles, second_factor, standard_texts, statuses
from services.casework.domain.sessions import csrf_ok, csrf_token, token_hash
from services.casework.domain.statuses import TransitionRefused
from services.casework.use_cases import (
    accounts, audit, case_file, conversation, grants, key_directory, queue, signal_observations, signin,
)
from services.casework.domain.signal_observations import ObservationRefused, choosable_quarters
from services.casework.web import labels
from services.casework.web.http import (
    LANGUAGES, BadRequest, clear_session_cookie, client_address, form, html, language, redirect, secured,
    session_token, set_language_cookie, set_session_cookie,
)
from services.casework.web.rendering import STANDARD_TEXTS as standard_texts_catalogue
from services.casework.web.rendering import gettext, render

REPLY_MAX_BYTES = 16 * 1024 * 1024  # three files of 5 MB and the text

log = get_logger()


@dataclass(frozen=True)
class Desk:
    db: object  # session factory
    settings: object
    server: object  # ServerKeys


def page(request, template, status=200, viewer=None, **context):
    lang = language(request)
    body = render(lang, template, viewer=viewer, labels=labels, roles=roles, request_path=request.path,
                  csrf=csrf_token(viewer.csrf_secret) if viewer else "", **context)
    return html(body, status)


def error(request, status, message, viewer=None):
    return page(request, "error.html", status=status, viewer=viewer, status_code=status, message=message)


def _t(request):
    return gettext(language(request))


# -- signing in ---------------------------------------------------------------------------------------------------
def sign_in(request, desk: Desk):
    _ = _t(request)
    if request.method == "GET":
        return page(request, "sign_in.html")
    refused = _post_refused(request)
    if refused:
        return refused
    data = form(request)
    with desk.db() as session:
        outcome = signin.with_password(session, desk.server, data.get("email", ""), data.get("password", ""),
                                       client_address(request))
    metrics.SIGNINS.labels(metrics.SERVICE, "password", outcome.reason or "ok").inc()
    if outcome.reason == "throttled":
        response = page(request, "sign_in.html", status=429,
                        problem=_("Too many attempts from this device. Wait %(minutes)s minutes and try again.")
                        % {"minutes": max(1, outcome.retry_after // 60)})
        response.headers["Retry-After"] = str(outcome.retry_after)
        return response
    if not outcome.ok:
        return page(request, "sign_in.html", status=400,
                    problem=_("The e-mail address or password is not right."))
    target = "/sign-in/code" if outcome.stage == signin.SECOND_FACTOR else "/setup/second-factor"
    return set_session_cookie(redirect(target), outcome.token)


def second_factor_step(request, desk: Desk):
    _ = _t(request)
    token = session_token(request)
    if request.method == "GET":
        return page(request, "second_factor.html")
    refused = _post_refused(request)
    if refused:
        return refused
    data = form(request)
    with desk.db() as session:
        outcome = signin.with_second_factor(session, desk.server, token, data.get("code", ""),
                                            client_address(request))
        viewer = signin.viewer(session, outcome.token, touch=False) if outcome.ok else None
        if viewer is not None:
            readers = [k for k in key_directory.current_keys(session, desk.settings) if k["purpose"] != "recovery"]
            case_file.share_with_team(session, viewer, readers + _recovery(session, desk))
    metrics.SIGNINS.labels(metrics.SERVICE, "second_factor", outcome.reason or "ok").inc()
    if outcome.reason == "expired":
        return redirect("/sign-in")
    if outcome.reason == "throttled":
        response = page(request, "second_factor.html", status=429,
                        problem=_("Too many attempts from this device. Wait %(minutes)s minutes and try again.")
                        % {"minutes": max(1, outcome.retry_after // 60)})
        response.headers["Retry-After"] = str(outcome.retry_after)
        return response
    if not outcome.ok:
        return page(request, "second_factor.html", status=400,
                    problem=_("That code is not right, or it was used already. Wait for the next code."))
    return set_session_cookie(redirect("/"), outcome.token)


def _recovery(session, desk):
    return [k for k in key_directory.current_keys(session, desk.settings) if k["purpose"] == "recovery"]


def setup(request, desk: Desk):
    """First sign-in with the setup code the administrator handed over: choose a password."""
    _ = _t(request)
    if request.method == "GET":
        return page(request, "setup.html")
    refused = _post_refused(request)
    if refused:
        return refused
    data = form(request)
    if data.get("password", "") != data.get("password_again", ""):
        return page(request, "setup.html", status=400, problem=_("The two passwords are not the same."))
    with desk.db() as session:
        try:
            account, private_key, _secret = accounts.complete_setup(
                session, desk.server, data.get("email", ""), data.get("setup_code", ""), data.get("password", ""))
        except passwords.WeakPassword as weak:
            return page(request, "setup.html", status=400,
                        problem=_(labels.PASSWORD_RULES[str(weak)]))
        except accounts.AccountError:
            return page(request, "setup.html", status=400,
                        problem=_("This setup code is not valid. Ask the administrator for a new one."))
        token = signin.start_enrolment(session, account.id, private_key)
    return set_session_cookie(redirect("/setup/second-factor"), token)


def enrol_second_factor(request, desk: Desk):
    """Set up the authenticator app (a QR code, and the key as text), confirm one code, see the recovery codes."""
    _ = _t(request)
    token = session_token(request)
    with desk.db() as session:
        viewer = signin.viewer(session, token)
        if viewer is None or viewer.stage != signin.ENROL:
            return redirect("/sign-in")
        account = accounts.get(session, viewer.account_id)
        secret = desk.server.open_totp(account.totp_secret_sealed)
        if request.method == "POST":
            refused = _post_refused(request, viewer)
            if refused:
                return refused
            data = form(request)
            if data.get("done") == "1":
                new_token = signin.enrolled(session, token)
                return set_session_cookie(redirect("/"), new_token) if new_token else redirect("/sign-in")
            try:
                codes = accounts.confirm_second_factor(session, desk.server, viewer.account_id, data.get("code", ""),
                                                       desk.settings)
            except accounts.AccountError:
                return _enrol_page(request, viewer, secret, status=400,
                                   problem=_("That code is not right. Check the time on your phone and try the "
                                             "next code."))
            return page(request, "recovery_codes.html", viewer=viewer, codes=codes)
    return _enrol_page(request, viewer, secret)


def _enrol_page(request, viewer, secret, status=200, problem=None):
    uri = second_factor.provisioning_uri(secret, viewer.email)
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", xmldecl=False, scale=4, title="QR")
    spaced = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return page(request, "enrol.html", status=status, viewer=viewer, qr_svg=buffer.getvalue().decode(),
                secret=spaced, problem=problem)


def sign_out(request, desk: Desk):
    refused = _post_refused(request)
    if refused:
        return refused
    with desk.db() as session:
        data = form(request)
        viewer = signin.viewer(session, session_token(request), touch=False)
        if viewer is not None and data.get("everywhere") == "1" and csrf_ok(viewer.csrf_secret, data.get("csrf")):
            signin.sign_out_everywhere(session, viewer.account_id)
        else:
            signin.sign_out(session, session_token(request))
    return clear_session_cookie(redirect("/sign-in"))


def choose_language(request, desk: Desk):
    refused = _post_refused(request)
    if refused:
        return refused
    lang = form(request).get("lang")
    back = request.args.get("back", "/")
    back = back if back.startswith("/") and not back.startswith("//") else "/"
    return set_language_cookie(redirect(back), lang if lang in LANGUAGES else "nl")


# -- the signed-in workspace ----------------------------------------------------------------------------------------
def _post_refused(request, viewer=None):
    _ = _t(request)
    if not same_origin(request):
        return error(request, 403, _("This form was not sent from the workspace. Go back and try again."), viewer)
    return None


def _signed_in(request, desk, session):
    viewer = signin.viewer(session, session_token(request))
    if viewer is None or viewer.stage != signin.FULL:
        return None
    return viewer


def _checked_post(request, viewer, max_bytes=None):
    """The origin and the session's CSRF token; returns (form, refusal response). `max_bytes`: a form with files
    (multipart, the files kept in memory)."""
    _ = _t(request)
    refused = _post_refused(request, viewer)
    if refused:
        return None, refused
    data = form(request, max_bytes)
    if not csrf_ok(viewer.csrf_secret, data.get("csrf")):
        return None, error(request, 403, _("This page was open too long. Go back, reload it and try again."), viewer)
    return data, None


def home(request, desk: Desk):
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
    if viewer is None:
        return redirect("/sign-in")
    if roles.may(viewer.role, "manage_accounts"):
        return redirect("/accounts")
    return redirect("/queue")


def queue_page(request, desk: Desk):
    _ = _t(request)
    today = desk.settings.today()
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        if roles.may(viewer.role, "read_granted_case"):
            return page(request, "mediator_cases.html", viewer=viewer, cases=grants.granted_cases(session, viewer))
        if not roles.may(viewer.role, "see_queue"):
            return error(request, 403, _("Your role has no case list."), viewer)
        filters = {name: request.args.get(name, "")[:40] for name in queue.FILTERS}
        list_name = request.args.get("list", "new")
        query = queue.QueueQuery(list_name if list_name in queue.LISTS else "new", filters,
                                 request.args.get("ref", "")[:16], _page_number(request))
        counts = queue.counts(session, viewer.account_id, query, today)
        rows = queue.page(session, viewer.account_id, query, today)
    return page(request, "queue.html", viewer=viewer, query=query, counts=counts, rows=rows, lists=queue.LISTS,
                page_size=queue.PAGE_SIZE, today=today)


def _page_number(request):
    try:
        return max(1, min(int(request.args.get("page", "1")), 10_000))
    except ValueError:
        return 1


def case_page(request, desk: Desk, case_ref, problem=None, status=200):
    _ = _t(request)
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        try:
            opened = case_file.open_case(session, viewer, case_ref)
        except case_file.CaseNotFound:
            return error(request, 404, _("There is no case with this reference."), viewer)
        except case_file.NotAllowed:
            log.warning("case.access_refused", case_ref=case_ref, account=viewer.account_id)
            audit.append(session, viewer.actor, "case.access_refused", case_ref)
            session.commit()
            return error(request, 403, _("This case has not been shared with you."), viewer)
        handlers = [a for a in accounts.listing(session) if a.active and roles.may(a.role, "work_case")]
        mediators = grants.mediator_accounts(session)
        messages = None
        if opened.content is not None:
            messages = conversation.messages(session, viewer, case_ref, case_file.case_key(session, viewer, case_ref))
    lang = language(request)
    texts = [(text.code, standard_texts.fill_preview(text, gettext(lang))) for text in standard_texts.TEXTS]
    return page(request, "case.html", status=status, viewer=viewer, case=opened, problem=problem,
                case_handlers=handlers, mediators=mediators, consent_allows=grants.consent_allows(opened.row),
                transitions=_transitions(opened.row.status), closure_reasons=statuses.CLOSURE_REASONS,
                conversation=messages, standard_texts=texts, today=desk.settings.today(),
                person_language=opened.row.language)


def _transitions(current):
    return [s for s in statuses.STATUSES if s != current and s in statuses._ALLOWED.get(current, ())]


def download(request, desk: Desk, case_ref, attachment_id):
    """One of the case's files, decrypted with the member's session key, as a download (audited)."""
    _ = _t(request)
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        try:
            case_file.case_row(session, viewer, case_ref)
            found = conversation.attachment(session, viewer, case_ref, attachment_id[:32])
        except case_file.CaseNotFound:
            found = None
        except (case_file.NotAllowed, case_file.CaseUnreadable):
            return error(request, 403, _("You cannot open this file."), viewer)
    if found is None:
        return error(request, 404, _("There is nothing at this address."), viewer)
    name, content_type, data = found
    safe_name = "".join(c for c in name if c.isalnum() or c in "._- ")[:100] or "file"
    return secured(Response(data, mimetype=content_type,
                            headers={"Content-Disposition": f'attachment; filename="{safe_name}"'}))


def _reply(session, desk, viewer, request, case_ref):
    """The reply form: a standard text (in the person's language, shown to staff in theirs) or free text, files,
    and optionally a request with a date."""
    data = request.form
    row = case_file.case_row(session, viewer, case_ref)
    code = data.get("standard_text", "")
    if code:
        values = {name: data.get(name, "") for name in ("missing", "channel", "date")}
        person_lang = row.language if row.language in standard_texts.LANGUAGES else "nl"
        text = standard_texts.fill(code, standard_texts_catalogue.gettext(person_lang), person_lang, case_ref,
                                   values)
        staff_lang = language(request)
        text_staff = standard_texts.fill(code, standard_texts_catalogue.gettext(staff_lang), staff_lang, case_ref,
                                         values)
        text = "\n\n".join(part for part in (text, data.get("text", "").strip()) if part)
    else:
        text, text_staff = data.get("text", ""), None
    due = data.get("request_due", "").strip()
    if not due and code and standard_texts.BY_CODE[code].asks:
        due = data.get("date", "").strip()  # asking for something by a date: the case waits until then
    try:
        request_due = date.fromisoformat(due) if due else None
    except ValueError:
        raise conversation.ReplyRefused("request_date") from None
    uploads = [conversation.Upload(f.filename or "file", f.mimetype or "", f.read())
               for f in request.files.getlist("attachment") if f.filename]
    conversation.reply(session, viewer, case_ref, text, text_staff, uploads, request_due, desk.settings)


def case_action(request, desk: Desk, case_ref, action):
    """notes | status | assign | grant | revoke | reply — each a form post on the case page."""
    _ = _t(request)
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        data, refused = _checked_post(request, viewer, max_bytes=REPLY_MAX_BYTES if action == "reply" else None)
        if refused:
            return refused
        try:
            if action == "notes":
                case_file.add_note(session, viewer, case_ref, data.get("text", ""), desk.settings)
            elif action == "status":
                case_file.change_status(session, viewer, case_ref, data.get("status", ""),
                                        data.get("closure_reason") or None, desk.settings)
            elif action == "assign":
                target = data.get("account_id", "")
                case_file.assign(session, viewer, case_ref, int(target) if target.isdigit() else None,
                                 desk.settings)
            elif action == "grant":
                grants.grant(session, viewer, case_ref, int(data.get("account_id", "0") or 0))
            elif action == "revoke":
                grants.revoke(session, viewer, case_ref, int(data.get("grant_id", "0") or 0))
            elif action == "reply":
                _reply(session, desk, viewer, request, case_ref)
            else:
                return error(request, 404, _("There is nothing at this address."), viewer)
        except case_file.CaseNotFound:
            return error(request, 404, _("There is no case with this reference."), viewer)
        except case_file.NotAllowed:
            return error(request, 403, _("You may not do this on this case."), viewer)
        except case_file.CaseUnreadable as unreadable:
            session.rollback()
            return case_page(request, desk, case_ref, problem=_(labels.UNREADABLE[str(unreadable)]), status=409)
        except grants.GrantRefused as refused_grant:
            session.rollback()
            return case_page(request, desk, case_ref, problem=_(labels.GRANT_REFUSED[str(refused_grant)]),
                             status=409)
        except (conversation.ReplyRefused, standard_texts.TextRefused, RefusedFile) as refused_reply:
            session.rollback()
            return case_page(request, desk, case_ref, status=400,
                             problem=_(labels.REPLY_REFUSED.get(str(refused_reply), labels.REPLY_REFUSED["empty"])))
        except TransitionRefused:
            session.rollback()
            return case_page(request, desk, case_ref, status=409,
                             problem=_("That status change is not possible. Closing a case needs a reason."))
        except ValueError as invalid:
            session.rollback()
            messages = {"empty": _("Write something first."), "too_long": _("A note can be at most 20,000 "
                                                                              "characters.")}
            return case_page(request, desk, case_ref, status=400,
                             problem=messages.get(str(invalid), _("Check what you entered.")))
    return redirect(f"/cases/{case_ref}")


def audit_page(request, desk: Desk):
    _ = _t(request)
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        if not roles.may(viewer.role, "read_audit"):
            return error(request, 403, _("Only the coordinator reads the audit log."), viewer)
        verification = None
        if request.method == "POST":
            _data, refused = _checked_post(request, viewer)
            if refused:
                return refused
            verification = audit.verify_log(session)
        entries = audit.rows(session)[-200:]
        seq, head = audit.head(session)
    return page(request, "audit.html", viewer=viewer, entries=list(reversed(entries)), verification=verification,
                head=head, head_seq=seq)


def signals_page(request, desk: Desk):
    """The coordinator's observations for the quarterly signal report: one text per sector and quarter."""
    _ = _t(request)
    today = desk.settings.today()
    quarters = choosable_quarters(today)
    problem = done = None
    status = 200
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        if not roles.may(viewer.role, "write_signal_observations"):
            return error(request, 403, _("Only the coordinator writes the observations for the signal report."),
                         viewer)
        if request.method == "POST":
            data, refused = _checked_post(request, viewer)
            if refused:
                return refused
            sector, quarter, text = data.get("sector", ""), data.get("quarter", ""), data.get("observation", "")
            try:
                saved = signal_observations.write(session, viewer, sector, quarter, text, today)
                session.commit()
                done = (_("The observation is saved. It goes into the signal report for this quarter.")
                        if saved["observation"] else _("The observation is removed."))
            except ObservationRefused as refusal:
                session.rollback()
                problem, status = _(labels.OBSERVATION_REFUSED[str(refusal)]), 400
        else:
            sector, quarter = request.args.get("sector", "banks"), request.args.get("quarter", quarters[0])
            text = None
        if sector not in labels.SIGNAL_SECTORS or quarter not in quarters:
            sector, quarter = "banks", quarters[0]
        if text is None or not problem:
            text = signal_observations.current(session, sector, quarter)
        written = signal_observations.listing(session, quarters)
    return page(request, "signals.html", status=status, viewer=viewer, problem=problem, done=done,
                sectors=list(labels.SIGNAL_SECTORS), quarters=quarters, sector=sector, quarter=quarter,
                observation=text, written=written)


def accounts_page(request, desk: Desk):
    _ = _t(request)
    new_setup = None
    problem = None
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        if not roles.may(viewer.role, "manage_accounts"):
            return error(request, 403, _("Only an administrator manages accounts."), viewer)
        if request.method == "POST":
            data, refused = _checked_post(request, viewer)
            if refused:
                return refused
            try:
                new_setup = _account_action(session, desk, viewer, data)
            except accounts.AccountError as refused_action:
                session.rollback()
                problem = _(str(refused_action))
        listing = accounts.listing(session)
    return page(request, "accounts.html", status=400 if problem else 200, viewer=viewer, accounts=listing,
                new_setup=new_setup, problem=problem, role_names=roles.ROLES)


def _account_action(session, desk, viewer, data):
    action, target = data.get("action"), data.get("account_id", "")
    target_id = int(target) if target.isdigit() else None
    if action == "add":
        return accounts.add(session, data.get("email", ""), data.get("display_name", ""), data.get("role", ""),
                            viewer.actor, data.get("mediator_id") or None)
    if target_id is None:
        raise accounts.AccountError("no such account")
    if action == "disable":
        accounts.disable(session, target_id, viewer.actor, desk.settings)
    elif action == "reset_second_factor":
        accounts.reset_second_factor(session, desk.server, target_id, viewer.actor)
    elif action == "new_setup_code":
        return accounts.new_setup_code(session, target_id, viewer.actor)
    return None


def own_account(request, desk: Desk):
    _ = _t(request)
    problem = done = None
    with desk.db() as session:
        viewer = _signed_in(request, desk, session)
        if viewer is None:
            return redirect("/sign-in")
        if request.method == "POST":
            data, refused = _checked_post(request, viewer)
            if refused:
                return refused
            if data.get("new_password") != data.get("new_password_again"):
                problem = _("The two passwords are not the same.")
            else:
                try:
                    accounts.change_password(session, viewer.account_id, data.get("password", ""),
                                             data.get("new_password", ""), _token_hash(request))
                    done = _("Your password is changed. You are signed out everywhere else.")
                except passwords.WeakPassword as weak:
                    problem = _(labels.PASSWORD_RULES[str(weak)])
                except accounts.AccountError:
                    problem = _("The current password is not right.")
    return page(request, "account.html", status=400 if problem else 200, viewer=viewer, problem=problem, done=done)


def _token_hash(request):
    return token_hash(session_token(request) or "")


def not_found(request, desk: Desk):
    return error(request, 404, _t(request)("There is nothing at this address."))


def bad_request(request, failure: BadRequest):
    _ = _t(request)
    messages = {413: _("What you sent is too large."), 415: _("This form could not be read.")}
    return error(request, failure.status, messages.get(failure.status, _("This request could not be read.")))

