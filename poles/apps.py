from django.apps import AppConfig


class PolesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "poles"
    verbose_name = "Pôles et membres"

    def ready(self) -> None:
        from poles import signals, versioning  # noqa: F401

        # Every change to content moves the version that cached results are keyed on.
        versioning.connect_signals()
