"""Every admin action leaves a trace in Django's LogEntry (the admin's "Historique" and "Actions récentes").

Django logs what its forms add, change and delete, and each deletion of its own bulk delete; a bulk action of ours
would write nothing. `LoggedActionsMixin` wraps each action so that, once it has acted, every selected object gets
a LogEntry naming the action and who ran it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import wraps

from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import model_format_dict
from django.template.response import TemplateResponse

# Actions that write their own, more telling entries: Django's bulk delete (one per deletion; a replacement under
# the same name is wrapped like any other action), and any action that adds itself here.
ALREADY_LOGGED = {delete_selected}


class LoggedActionsMixin:
    """For a ModelAdmin: logs each object a bulk action was applied to."""

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location=action_location)
        for name, action in actions.items():
            if action.func not in ALREADY_LOGGED:
                actions[name] = replace(action, func=logged(action.func, action.description))
        return actions


def logged(action, description):
    @wraps(action)
    def run(modeladmin, request, queryset):
        # Read before acting: the action may change what the queryset matches (e.g. a status filter in the list).
        selected = list(queryset)
        response = action(modeladmin, request, queryset)
        if isinstance(response, TemplateResponse):
            return response  # a confirmation page: nothing has been done yet
        if selected:
            # Descriptions may name the model as Django's own do ("Supprimer les %(verbose_name_plural)s sélectionnés").
            label = str(description) % model_format_dict(modeladmin.opts)
            LogEntry.objects.log_actions(request.user.pk, selected, CHANGE, change_message=f"Action « {label} »")
        return response

    return run
