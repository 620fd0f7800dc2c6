"""Posting an admin form as a browser would: every field with the value the page shows, then a few changes."""

from __future__ import annotations

from html.parser import HTMLParser

from django.test import Client


class _FormFields(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.data: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_values: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
            else:
                self.data.append((name, attrs.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_values, self._first_option = name, [], None
            self._multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_values.append(value)
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select is not None:
            values = self._select_values or ([] if self._multiple else [self._first_option or ""])
            self.data += [(self._select, value) for value in values]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None


def form_data(client: Client, url: str, form_id: str | None = None) -> dict[str, str | list[str]]:
    """The fields of the admin form at `url` (`<model>_form`), as its page fills them in."""
    response = client.get(url)
    assert response.status_code == 200, url
    model_name = url.rstrip("/").split("/")[3]
    parser = _FormFields(form_id or f"{model_name}_form")
    parser.feed(response.content.decode())
    data: dict[str, str | list[str]] = {"_save": "Enregistrer"}  # the button pressed: not a change-form action
    for name, value in parser.data:
        if name.startswith("CHANGE_FORM-") or name in {"_selected_action", "index"}:
            continue
        if name in data:
            previous = data[name]
            data[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            data[name] = value
    return data


def post_change(client: Client, obj, **changes):
    """Post the admin change form of `obj` as the page shows it, with `changes`."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    data = form_data(client, url)
    data.update(changes)
    return client.post(url, data)
