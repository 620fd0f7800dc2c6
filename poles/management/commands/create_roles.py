"""Create or update the staff groups (rédacteur, éditeur, administrateur); migrate already does it after each run."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, transaction

from poles.roles import ROLES, sync_roles


class Command(BaseCommand):
    help = "Crée ou met à jour les groupes rédacteur, éditeur et administrateur et leurs permissions."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Base de données à mettre à jour.")

    def handle(self, *args, **options):
        from django.contrib.auth.models import Group

        using = options["database"]
        with transaction.atomic(using=using):
            missing = sync_roles(using)
        for group in Group.objects.using(using).filter(name__in=ROLES).order_by("name"):
            self.stdout.write(f"{group.name} : {group.permissions.count()} permissions")
        if missing:
            self.stderr.write(
                self.style.WARNING(
                    "Permissions attendues mais absentes (accordées dès que leurs migrations les créeront) : "
                    + ", ".join(missing)
                )
            )
