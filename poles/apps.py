from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PolesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "poles"
    verbose_name = "Pôles et membres"

    def ready(self) -> None:
        from poles import signals, versioning  # noqa: F401
        from poles.roles import sync_roles_after_migrate

        # Without a sender: the staff roles span every app's permissions (poles.roles explains when it acts).
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="poles-sync-roles")
        # Every change to content moves the version that cached results are keyed on.
        versioning.connect_signals()
