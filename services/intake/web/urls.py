"""The paths the pages link and post to. The HTTP service must serve these; docs/form.md lists them."""

PATHS = {
    "start": "/{lang}/",
    "form": "/{lang}/form",              # GET: first step; POST: every step (hidden `step` names it)
    "options": "/{lang}/options",        # the route explorer; GET: questions, POST: questions + plan
    "follow_up": "/{lang}/follow-up",    # GET: lookup form; POST: reference + receipt in the body
    "stylesheet": "/static/voorportaal.css",
    "script": "/static/voorportaal.js",
}

# The quick-exit target: the one address on another origin we link to. A plain link, nothing is loaded from it.
QUICK_EXIT_URL = "https://www.google.com/"


def url_for(name, lang):
    return PATHS[name].format(lang=lang)
