"""Merging pôles into another one: the admin action "Fusionner dans un autre pôle…" and what it does.

A merger is recorded the way the real data records the mergers since 2005: the merged pôle keeps its row, its
names, its labels, its members and its sessions (all true of it, not of its successor), and gets fate = merged, its
successor and the year. What changes for visitors is that its page now redirects (301) to the successor's, which
lists it among the pôles merged into it. The mergers already in fixtures/ keep their own pages: they carry history
that their successors' pages do not show; staff may still redirect one by hand (admin, "Redirections").
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from permalinks.models import Redirect
from poles.admin_audit import ALREADY_LOGGED
from poles.models import Pole

FIRST_YEAR = 2004  # the policy was launched in 2004


def merge_problems(poles: list[Pole], successor: Pole) -> list[str]:
    """Why these pôles cannot merge into `successor`, in words staff understand (empty when they can)."""
    problems = []
    if any(pole.pk == successor.pk for pole in poles):
        problems.append(
            _("« %(name)s » fait partie des pôles à fusionner : un pôle ne peut pas fusionner dans lui-même.")
            % {"name": successor.name}
        )
    if successor.fate == Pole.Fate.MERGED:
        problems.append(
            _("« %(name)s » a lui-même fusionné dans « %(next)s » : choisissez plutôt ce dernier.")
            % {"name": successor.name, "next": successor.successor.name if successor.successor else "?"}
        )
    elif not Pole.objects.published().filter(pk=successor.pk).exists():
        problems.append(
            _("« %(name)s » n'est pas publié : la page des pôles fusionnés redirigerait vers une page introuvable.")
            % {"name": successor.name}
        )
    for pole in poles:
        if pole.fate == Pole.Fate.MERGED:
            problems.append(
                _("« %(name)s » a déjà fusionné dans « %(next)s ».")
                % {"name": pole.name, "next": pole.successor.name if pole.successor else "?"}
            )
    return problems


@transaction.atomic
def merge_poles(poles: list[Pole], successor: Pole, year: int, note: str = "") -> list[Pole]:
    """Merge `poles` into `successor`, all or nothing; returns the merged pôles as saved."""
    # Locked and read again, so that two merges at once cannot cross (A into B while B goes into A).
    locked = (
        Pole.objects.select_for_update(of=("self",))
        .select_related("successor")
        .in_bulk([pole.pk for pole in poles] + [successor.pk])
    )
    poles, successor = [locked[pole.pk] for pole in poles], locked[successor.pk]
    problems = merge_problems(poles, successor)
    if problems:
        raise ValidationError(problems)
    for pole in poles:
        pole.fate = Pole.Fate.MERGED
        pole.successor = successor
        pole.fate_year = year
        if note:
            pole.fate_note = note
        pole.save()
        Redirect.objects.supersede(pole.get_absolute_url(), successor.get_absolute_url(), Redirect.Reason.MERGED)
    return poles


class MergeForm(forms.Form):
    note = forms.CharField(
        label=_lazy("Précisions (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_lazy(
            "Par exemple : « Réunis en juin 2019 ; l'ensemble a pris le nom de … ». "
            "Remplace les précisions sur le devenir des pôles fusionnés."
        ),
    )

    field_order = ["successor", "year", "note"]

    def __init__(self, *args, poles: list[Pole], admin_site: admin.AdminSite, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.poles = poles
        # The admin's own autocomplete (the one of the successor field of the pôle form): any name, former name or
        # acronym finds the pôle.
        self.fields["successor"] = forms.ModelChoiceField(
            label=_lazy("Pôle qui les reçoit (successeur)"),
            queryset=Pole.objects.order_by("name"),
            widget=AutocompleteSelect(Pole._meta.get_field("successor"), admin_site),
            help_text=_lazy("Tapez quelques lettres de son nom, d'un ancien nom ou de son sigle."),
        )
        this_year = timezone.localdate().year
        # Recorded where the model keeps the date of a change of fate: a year (fate_year).
        self.fields["year"] = forms.IntegerField(
            label=_lazy("Année de la fusion"), min_value=FIRST_YEAR, max_value=this_year + 1, initial=this_year
        )
        self.order_fields(self.field_order)

    def clean(self) -> dict:
        cleaned = super().clean()
        successor = cleaned.get("successor")
        if successor is not None:
            for problem in merge_problems(self.poles, successor):
                self.add_error("successor", problem)
        return cleaned


@admin.action(description=_lazy("Fusionner dans un autre pôle…"), permissions=["change"])
def merge_into_another_pole(modeladmin: admin.ModelAdmin, request, queryset) -> TemplateResponse | None:
    poles = list(queryset.select_related("successor").order_by("name"))
    already_merged = [pole for pole in poles if pole.fate == Pole.Fate.MERGED]
    form = None
    if not already_merged:
        if "confirm" in request.POST:
            form = MergeForm(request.POST, poles=poles, admin_site=modeladmin.admin_site)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        data = form.cleaned_data
                        merged = merge_poles(poles, data["successor"], data["year"], data["note"])
                        _log(request, merged, data["successor"], data["year"])
                except ValidationError as error:  # someone else changed these pôles in the meantime
                    form.add_error(None, error)
                else:
                    message = _success_message(merged, form.cleaned_data["successor"])
                    modeladmin.message_user(request, message, messages.SUCCESS)
                    return None  # back to the list of pôles
        else:
            form = MergeForm(poles=poles, admin_site=modeladmin.admin_site)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Fusionner dans un autre pôle"),
        "subtitle": None,
        "opts": modeladmin.opts,
        "poles": poles,
        "already_merged": already_merged,
        "form": form,
        "media": modeladmin.media + (form.media if form else forms.Media()),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "merge_into_another_pole",
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/poles/pole/merge_confirmation.html", context)


# This action writes its own log entries, in the merge's transaction and saying into which pôle.
ALREADY_LOGGED.add(merge_into_another_pole)


def _log(request, merged: list[Pole], successor: Pole, year: int) -> None:
    message = f"Fusionné dans « {successor.name} » ({year}) par l'action « Fusionner dans un autre pôle »."
    LogEntry.objects.log_actions(request.user.pk, merged, CHANGE, change_message=message)
    names = ", ".join(f"« {pole.name} »" for pole in merged)
    received = f"A reçu par fusion : {names} ({year})."
    LogEntry.objects.log_actions(request.user.pk, [successor], CHANGE, change_message=received)


def _success_message(merged: list[Pole], successor: Pole) -> str:
    names = ", ".join(f"« {pole.name} »" for pole in merged)
    return ngettext(
        "%(names)s a fusionné dans « %(successor)s » ; "
        "sa page redirige désormais vers celle de « %(successor)s ».",
        "%(names)s ont fusionné dans « %(successor)s » ; "
        "leurs pages redirigent désormais vers celle de « %(successor)s ».",
        len(merged),
    ) % {"names": names, "successor": successor.name}
