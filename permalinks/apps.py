from django.apps import AppConfig


class PermalinksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "permalinks"
    verbose_name = "Anciennes adresses"

    def ready(self) -> None:
        from permalinks import signals

        signals.connect()
