from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from policy.models import Phase


class PhaseCompareForm(DsfrBaseForm):
    """The two phases to compare, by number (`?de=3&a=4`), as a GET form."""

    # Not required: the view reads a missing or empty choice as "the default phase" before the form sees it.
    de = forms.TypedChoiceField(label=_("Première phase"), coerce=int, required=False, empty_value=None)
    a = forms.TypedChoiceField(label=_("Seconde phase"), coerce=int, required=False, empty_value=None)

    # Never echo what was typed: it can be anything, thousands of characters or control characters included.
    error_messages = {
        "invalid_choice": _("Cette phase n'existe pas : choisissez-en une dans la liste."),
        "repeated": _("Ce paramètre est donné plusieurs fois : il n'en faut qu'un."),
    }

    def __init__(self, data, phases: Iterable[Phase]):
        super().__init__(data)
        choices = [(phase.number, f"{phase.name} ({phase.start_year}–{phase.end_year})") for phase in phases]
        for field in self.fields.values():
            field.choices = choices
            field.error_messages["invalid_choice"] = self.error_messages["invalid_choice"]

    def get_context(self) -> dict:
        # DsfrBaseForm warns here about marking required fields; this form has none, so there is nothing to mark.
        return forms.Form.get_context(self)

    def clean(self) -> dict:
        cleaned_data = super().clean()
        for name in self.fields:
            if len(self.data.getlist(name)) > 1:
                # Say what is really wrong, rather than judging whichever of the values the field happened to read.
                self._errors.pop(name, None)
                self.add_error(name, self.error_messages["repeated"])
        return cleaned_data
