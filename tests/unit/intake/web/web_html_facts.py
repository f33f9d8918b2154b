"""Collect the facts the page tests check (ids, labels, links, scripts, inline styles) with the stdlib parser."""
from html.parser import HTMLParser


class PageFacts(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.html_lang = None
        self.ids = []
        self.label_targets = []
        self.described_by = []
        self.urls = []                 # (tag, attribute, value) for href/src/action
        self.inline_scripts = 0
        self.style_attributes = 0
        self.style_elements = 0
        self.event_handlers = []
        self.hidden_inputs = {}
        self.fieldsets_without_legend = 0
        self._open_fieldsets = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and "for" in attributes:
            self.label_targets.append(attributes["for"])
        if "aria-describedby" in attributes:
            self.described_by.extend(attributes["aria-describedby"].split())
        for name in ("href", "src", "action"):
            if name in attributes:
                self.urls.append((tag, name, attributes[name]))
        if "style" in attributes:
            self.style_attributes += 1
        self.event_handlers.extend(name for name in attributes if name.startswith("on"))
        if tag == "style":
            self.style_elements += 1
        if tag == "script":
            self._in_script = True
            if "src" not in attributes:
                self.inline_scripts += 1
        if tag == "input" and attributes.get("type") == "hidden":
            self.hidden_inputs[attributes.get("name")] = attributes.get("value")
        if tag == "fieldset":
            self._open_fieldsets.append(False)
        if tag == "legend" and self._open_fieldsets:
            self._open_fieldsets[-1] = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "fieldset" and self._open_fieldsets:
            if not self._open_fieldsets.pop():
                self.fieldsets_without_legend += 1

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1
