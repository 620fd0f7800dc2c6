"""Staff roles: three groups whose permissions follow the models, kept in step by code after every migrate.

- rédacteur: sees everything, adds and changes content and its child rows (memberships, sessions, appearances…),
  but never publishes (no `publish_<model>`) and never deletes.
- éditeur: a rédacteur who also publishes, archives, deletes (a soft delete for public content) and restores,
  changes the shared vocabularies (regions, themes), makes public corrections, and reads and reverts the history.
- administrateur: every permission, staff accounts and groups included; no superuser flag needed.

The groups are the definition of the roles: `sync_roles` sets their permissions exactly, so a permission added to
one of them by hand is removed at the next migrate. `publish_<model>` permissions are declared by the content
models' own migrations; one that does not exist yet is reported as missing and granted once it exists.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS, router
from simple_history.models import HistoricalChanges

from poles.content import Content

WRITER = "rédacteur"
EDITOR = "éditeur"
ADMINISTRATOR = "administrateur"
ROLES = (WRITER, EDITOR, ADMINISTRATOR)

STAFF_APPS = ("poles", "events", "policy")
# What a rédacteur only reads: the vocabularies every page hangs off (the 13 regions with their INSEE codes, the
# themes), and public corrections, which appear on the public page at once.
READ_ONLY_FOR_WRITERS = {"poles.region", "poles.theme", "poles.correction"}
# Derived from the content and rebuilt from it, never edited by hand.
INTERNAL_MODELS = {"events.searchentry"}

Key = tuple[str, str]  # (app_label, codename)


def role_permissions() -> dict[str, set[Key]]:
    """The permissions of the rédacteur and éditeur roles, from the models as they are now."""
    writer: set[Key] = set()
    editor: set[Key] = set()
    for app_label in STAFF_APPS:
        for model in global_apps.get_app_config(app_label).get_models():
            name = model._meta.model_name
            if issubclass(model, HistoricalChanges):
                editor |= {(app_label, f"view_{name}"), (app_label, f"change_{name}")}
                continue
            if model._meta.label_lower in INTERNAL_MODELS:
                continue
            writer.add((app_label, f"view_{name}"))
            if model._meta.label_lower not in READ_ONLY_FOR_WRITERS:
                writer |= {(app_label, f"add_{name}"), (app_label, f"change_{name}")}
            editor |= {(app_label, f"{action}_{name}") for action in ("view", "add", "change", "delete")}
            if issubclass(model, Content):
                editor.add((app_label, f"publish_{name}"))
    return {WRITER: writer, EDITOR: editor | writer}


def sync_roles(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the three groups if needed and set their permissions; return the expected ones that do not exist."""
    permissions = {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.using(using).select_related("content_type")
    }
    missing: set[Key] = set()
    for role, wanted in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([permissions[key] for key in wanted if key in permissions])
        missing |= wanted - permissions.keys()
    group, _ = Group.objects.using(using).get_or_create(name=ADMINISTRATOR)
    group.permissions.set(permissions.values())
    return sorted(f"{app_label}.{codename}" for app_label, codename in missing)


def sync_roles_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **kwargs) -> None:
    """post_migrate receiver. Django sends post_migrate once per app, and auth creates each app's permissions in
    its own receiver just before ours: waiting for the last app means every permission exists by then."""
    last = [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    try:
        apps.get_model("auth", "Group")
    except LookupError:  # auth is not migrated on this database (yet)
        return
    if not router.allow_migrate_model(using, Group):
        return
    sync_roles(using)
