"""Handlers of the rights guide's pages, the letter form and the public letter API (service.py's entrypoints call
these). Nothing from a letter request is stored, logged, counted or sent anywhere: the handlers log nothing at all,
and `observed` records only the route, the method and the status."""
from werkzeug.wrappers import Response

from libs.kit.blocking import run_blocking
from services.intake.use_cases import letters
from services.intake.use_cases.rights_guide import load_guide

from . import csrf, rights_pages
from .letter_api import build_from_json, choose_format
from .letter_form import LETTER_FIELDS, OUTPUTS, parse_letter_form
from .languages import SUPPORTED_LANGUAGES
from .letter_output import as_pdf, as_text
from .page_handlers import checked_post
from .responses import error_page, html, secured

FILE_NAME = "klachtbrief"  # never the person's name


def guide_page(request, lang):
    token = csrf.token_for(request)
    return html(rights_pages.render_guide(lang), lang=lang, token=token)


def topic_page(request, lang, slug):
    if lang not in SUPPORTED_LANGUAGES:
        return error_page("nl", 404)
    topic = load_guide().by_slug(slug)
    if topic is None:
        return error_page(lang, 404)
    token = csrf.token_for(request)
    return html(rights_pages.render_topic(lang, topic), lang=lang, token=token)


def download(body, content_type, extension):
    response = Response(body, mimetype=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{FILE_NAME}.{extension}"'
    return secured(response)


def letter_response(letter, lang, output, token=None, values=None):
    if output == "pdf":
        return download(run_blocking(as_pdf, letter, lang), "application/pdf", "pdf")
    if output == "text":
        response = download(as_text(letter, lang).encode("utf-8"), "text/plain", "txt")
        response.charset = "utf-8"
        return response
    if token is None:  # the API: a standalone printable page
        return secured(Response(rights_pages.render_letter_document(lang, letter), mimetype="text/html"))
    return html(rights_pages.render_letter_page(lang, token, letter, values), lang=lang, token=token)


def letter_page(request, lang):
    """GET: the empty form. POST `action=start` (from a plan step): the form with the step's facts filled in.
    POST `action=edit`: the form again with the answers. Otherwise: build the letter and answer it as a page, a
    PDF or a text file (`output`)."""
    token = csrf.token_for(request)
    if request.method == "GET":
        return html(rights_pages.render_letter_form(lang, token, {}, {}), lang=lang, token=token)
    refused = checked_post(request, lang)
    if refused is not None:
        return refused
    action = request.form.get("action", "build")
    if action in ("start", "edit"):
        values = {name: request.form.get(name, "")[:100 if action == "start" else 7000] for name in LETTER_FIELDS}
        if action == "start":
            values = {name: value for name, value in values.items() if name in ("channel_id",) or
                      name not in ("account", "grounds", "request") and not name.startswith("sender_")}
        return html(rights_pages.render_letter_form(lang, token, values, {}), lang=lang, token=token)
    request_, values, errors = parse_letter_form(request.form, lang)
    if errors:
        return html(rights_pages.render_letter_form(lang, token, values, errors), status=400, lang=lang,
                    token=token)
    output = request.form.get("output", "html")
    letter = letters.build(request_)
    return letter_response(letter, lang, output if output in OUTPUTS else "html", token, values)


def letters_api(request):
    """POST /api/v1/letters: the letter as PDF, HTML or text (Accept); stores nothing, emits nothing."""
    output = choose_format(request)
    letter, lang = build_from_json(request)
    return letter_response(letter, lang, output)
