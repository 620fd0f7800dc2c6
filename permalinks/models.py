"""Old addresses of public pages, and where they lead now.

A page's address is built from its slug. When staff change a slug, or merge a pôle into another, the old address is
kept here and answers with a permanent redirect (301), so that links and bookmarks made elsewhere keep working.
Redirects never chain: every address leads straight to a live page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.languages import path_in, split_language


class RedirectQuerySet(models.QuerySet):
    def target_for(self, request: HttpRequest) -> str | None:
        """Where the requested address leads now, with the visitor's query string; None if it never moved.

        Addresses are stored as the French pages have them; the same page in another language (/en/…) moved with
        it, and leads to the new address in that language. An address staff recorded with its language wins.
        """
        language, path = split_language(request.path)
        moved = dict(self.filter(old_path__in={request.path, path}).values_list("old_path", "new_path"))
        if request.path in moved:
            new_path = moved[request.path]
        elif path in moved:
            new_path = path_in(language, moved[path]) if language else moved[path]
        else:
            return None
        query = request.META.get("QUERY_STRING", "")
        if not query:
            return new_path
        return f"{new_path}{'&' if '?' in new_path else '?'}{query}"

    def redirected(self, paths: Iterable[str]) -> set[str]:
        """Which of these addresses (in any language) redirect elsewhere."""
        stored = {path: split_language(path)[1] for path in paths}
        moved = set(self.filter(old_path__in=set(stored.values())).values_list("old_path", flat=True))
        return {path for path, old_path in stored.items() if old_path in moved}

    def move(self, old_path: str, new_path: str) -> None:
        """The page at `old_path` now lives at `new_path` (its slug changed)."""
        if old_path == new_path:
            return
        superseded = self.filter(old_path=old_path).first()
        if superseded is not None:
            # The page itself redirected (a merged pôle): under its new address, it keeps sending visitors on.
            self.update_or_create(
                old_path=new_path, defaults={"new_path": superseded.new_path, "reason": superseded.reason}
            )
            return
        # The new address is live: a redirect left there by an earlier rename the other way would now loop.
        self.forget(new_path)
        self.supersede(old_path, new_path, Redirect.Reason.MOVED)

    def supersede(self, old_path: str, new_path: str, reason: str) -> None:
        """Send `old_path` to `new_path`, and every address that led to `old_path` straight there too."""
        if old_path == new_path:
            raise ValueError(f"{old_path} cannot redirect to itself")
        self.filter(new_path=old_path).update(new_path=new_path, updated_at=timezone.now())
        self.filter(old_path=F("new_path")).delete()  # a chain that came back to where it started
        self.update_or_create(old_path=old_path, defaults={"new_path": new_path, "reason": reason})

    def forget(self, *paths: str) -> None:
        """These addresses are live pages again: nothing redirects from them."""
        self.filter(old_path__in=paths).delete()


class Redirect(models.Model):
    """An address that moved, and where it leads now."""

    class Reason(models.TextChoices):
        MOVED = "moved", _("Changement d'adresse")
        MERGED = "merged", _("Fusion de pôles")
        MANUAL = "manual", _("Saisie par l'équipe")

    old_path = models.CharField(
        _("ancienne adresse"),
        max_length=300,
        unique=True,
        help_text=_("Chemin seul, commençant par « / », par exemple /poles/ancien-identifiant/."),
    )
    new_path = models.CharField(
        _("nouvelle adresse"),
        max_length=300,
        help_text=_("Chemin de la page vers laquelle les visiteurs sont redirigés (redirection permanente, 301)."),
    )
    reason = models.CharField(_("motif"), max_length=10, choices=Reason.choices, default=Reason.MANUAL)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = _("redirection")
        verbose_name_plural = _("redirections")

    def __str__(self) -> str:
        return f"{self.old_path} → {self.new_path}"

    def clean(self) -> None:
        errors = {}
        for name in ("old_path", "new_path"):
            value = getattr(self, name)
            if not value.startswith("/") or value.startswith("//"):
                errors[name] = _("Indiquez un chemin du site commençant par « / », sans nom de domaine.")
        if not errors and self.old_path == self.new_path:
            errors["new_path"] = _("Une adresse ne peut pas rediriger vers elle-même.")
        if errors:
            raise ValidationError(errors)
