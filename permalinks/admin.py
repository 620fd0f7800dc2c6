from __future__ import annotations

from django.contrib import admin

from permalinks.models import Redirect
from poles.admin_audit import LoggedActionsMixin


@admin.register(Redirect)
class RedirectAdmin(LoggedActionsMixin, admin.ModelAdmin):
    """Made by slug changes and pôle merges; staff may add one by hand (e.g. for a pôle merged before the site)."""

    list_display = ["old_path", "new_path", "reason", "updated_at"]
    list_filter = ["reason"]
    search_fields = ["old_path", "new_path"]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["old_path", "new_path", "reason", "created_at", "updated_at"]
