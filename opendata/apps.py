from django.apps import AppConfig


class OpendataConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "opendata"
    verbose_name = "Données ouvertes et API"

    def ready(self) -> None:
        from opendata import changes

        # Regions, themes and sources have no timestamps of their own: their changes are noted as they happen.
        changes.connect_signals()
