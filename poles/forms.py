from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from poles.cooperation import LinkKind
from poles.models import Pole, Region, Theme


class CooperationForm(DsfrBaseForm):
    """What the cooperation page shows, as a GET form: each criterion keeps the links that meet it.

    Criteria that do not validate are reported and left out, the valid ones still apply (as on the lists).
    """

    pole = forms.ChoiceField(label=_("Pôle"), required=False, help_text=_("Ses liens avec les autres pôles"))
    region = forms.ChoiceField(label=_("Région"), required=False, help_text=_("Au moins un des deux pôles"))
    theme = forms.ChoiceField(label=_("Thématique"), required=False, help_text=_("Au moins un des deux pôles"))
    kind = forms.ChoiceField(
        label=_("Type de lien"),
        required=False,
        choices=[("", _("Tous")), *LinkKind.choices],
        help_text=_("Ce que les deux pôles ont en commun"),
    )

    def __init__(self, data, *, poles: Iterable[Pole], regions: Iterable[Region], themes: Iterable[Theme]):
        super().__init__(data)
        self.fields["pole"].choices = [("", _("Tous")), *((pole.slug, pole.name) for pole in poles)]
        self.fields["region"].choices = [("", _("Toutes")), *((region.slug, region.name) for region in regions)]
        self.fields["theme"].choices = [("", _("Toutes")), *((theme.slug, theme.name) for theme in themes)]
        # Never echo what was typed: it can be anything, thousands of characters or control characters included.
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Ce choix n'existe pas : choisissez dans la liste.")

    def get_context(self) -> dict:
        # DsfrBaseForm warns here about marking required fields; this form has none, so there is nothing to mark.
        return forms.Form.get_context(self)

    @property
    def criteria(self) -> dict[str, str]:
        """The criteria that validated, by name (an empty choice is no criterion)."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
