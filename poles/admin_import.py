"""Admin views of the member list import: upload, preview, confirm (the work itself is in poles.imports).

The uploaded file is kept in the staff member's session under a random token until it is confirmed or replaced, so
that the confirmation imports that very file; the preview page carries the plan's fingerprint, and the confirmation
recomputes the plan and refuses to write anything if it differs (the database changed in between).
"""

from __future__ import annotations

import secrets
import time
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from poles.imports import (
    COLUMNS,
    CREATE,
    FIRST_YEAR,
    INVALID,
    MAX_BYTES,
    MAX_ROWS,
    UNCHANGED,
    UPDATE,
    ImportFileError,
    ParsedFile,
    apply_plan,
    plan_import,
    read_file,
    thousands,
)
from poles.models import Membership, Pole

REQUIRED_PERMISSIONS = (
    "poles.add_organisation",
    "poles.change_organisation",
    "poles.add_membership",
    "poles.change_membership",
)
SESSION_KEY = "member_imports"
PENDING_LIFETIME = 3600  # seconds between the upload and the confirmation
PENDING_KEPT = 3  # uploads kept per session (several tabs), the oldest dropped first


class MemberImportForm(forms.Form):
    pole = forms.ModelChoiceField(queryset=Pole.objects.none(), label="Pôle", empty_label="— Choisir le pôle —")
    year = forms.IntegerField(
        label="Année de la liste", min_value=FIRST_YEAR, help_text="L'année dont le fichier donne les membres."
    )
    file = forms.FileField(
        label="Fichier CSV",
        help_text=f"UTF-8 ou Windows-1252, séparateur « ; » ou « , » ; {MAX_BYTES // 1024 // 1024} Mo et "
        f"{thousands(MAX_ROWS)} lignes au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    source = forms.CharField(
        label="Source de la liste (facultatif)",
        required=False,
        max_length=600,
        help_text="Adresse web ou référence du document d'où vient la liste ; elle est rattachée aux adhésions "
        "créées et à celles qui n'ont pas encore de source.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pole"].queryset = Pole.objects.real().order_by("name")
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        self.parsed: ParsedFile | None = None
        self.data_bytes = b""

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        last_year = timezone.localdate().year
        if year > last_year:
            raise ValidationError(f"L'année ne peut pas dépasser {last_year}.")
        return year

    def clean_source(self) -> str:
        return " ".join(self.cleaned_data["source"].split())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"Le fichier pèse {upload.size / 1024 / 1024:.1f} Mo ; la limite est de {MAX_BYTES // 1024 // 1024} Mo."
            )
        self.data_bytes = upload.read()
        try:
            self.parsed = read_file(self.data_bytes)
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        return upload


def member_import_urls(model_admin: admin.ModelAdmin) -> list:
    """Routes added in front of the Membership admin's own (`/admin/poles/membership/import/…`)."""

    def wrap(view):
        return model_admin.admin_site.admin_view(partial(view, model_admin=model_admin))

    return [
        path("import/", wrap(upload), name="poles_membership_import"),
        path("import/modele.csv", wrap(template_csv), name="poles_membership_import_template"),
        path("import/<str:token>/", wrap(preview), name="poles_membership_import_preview"),
    ]


def _check_permissions(request: HttpRequest) -> None:
    if not request.user.has_perms(REQUIRED_PERMISSIONS):
        raise PermissionDenied("Importer une liste de membres demande le droit d'ajouter et de modifier "
                               "les organisations et les adhésions.")


def _may_publish(user) -> bool:
    """Whether the organisations this user's import creates are published at once, or drafts.

    The pôle's public page lists published members only, and staff vouch for the list they import: new
    organisations are published, as an organisation added in the admin is by default — but only by those who may
    publish (poles.roles: a rédacteur never does); a rédacteur's import creates drafts for an éditeur to publish.
    """
    return user.has_perm("poles.publish_organisation")


def _context(model_admin: admin.ModelAdmin, request: HttpRequest, title: str, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Membership._meta,
        "title": title,
        "columns": COLUMNS,
        "max_megabytes": MAX_BYTES // 1024 // 1024,
        "max_rows": thousands(MAX_ROWS),
        "may_publish": _may_publish(request.user),
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    _check_permissions(request)
    if request.method == "POST":
        form = MemberImportForm(request.POST, request.FILES)
        if form.is_valid():
            token = _store(request, form)
            return redirect("admin:poles_membership_import_preview", token=token)
    else:
        initial = {"year": timezone.localdate().year}
        pole_id = request.GET.get("pole", "")
        if pole_id.isdigit() and Pole.objects.real().filter(pk=pole_id).exists():
            initial["pole"] = int(pole_id)
        form = MemberImportForm(initial=initial)
    context = _context(model_admin, request, "Importer une liste de membres", form=form)
    return render(request, "admin/poles/member_import/upload.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def preview(request: HttpRequest, token: str, model_admin: admin.ModelAdmin) -> HttpResponse:
    """GET shows what the import would do; POST (the confirm button) does it if nothing changed since."""
    _check_permissions(request)
    pending = _pending(request).get(token)
    if pending is None or time.time() - pending["stored_at"] > PENDING_LIFETIME:
        _forget(request, token)
        messages.error(
            request,
            "Cet aperçu a expiré ou a déjà été importé : déposez de nouveau le fichier pour obtenir un aperçu à jour.",
        )
        return redirect("admin:poles_membership_import")
    pole = Pole.objects.real().filter(pk=pending["pole"]).first()
    if pole is None:
        _forget(request, token)
        messages.error(request, "Le pôle choisi n'existe plus : recommencez l'import.")
        return redirect("admin:poles_membership_import")
    parsed = read_file(pending["content"].encode("latin-1"))  # it was read once already: it cannot fail now

    if request.method == "POST":
        return _confirm(model_admin, request, token, pending, parsed, pole)
    plan = plan_import(parsed, pole, pending["year"], pending["source"], publish=_may_publish(request.user))
    return _render_preview(model_admin, request, token, pending, plan)


def _confirm(model_admin, request, token, pending, parsed, pole) -> HttpResponse:
    try:
        with transaction.atomic():
            plan = plan_import(parsed, pole, pending["year"], pending["source"], publish=_may_publish(request.user))
            if not plan.is_valid:
                messages.error(request, "Ce fichier a des lignes invalides : rien n'a été importé.")
                return _render_preview(model_admin, request, token, pending, plan, status=400)
            if request.POST.get("fingerprint") != plan.fingerprint:
                messages.warning(
                    request,
                    "Les données ont changé depuis l'aperçu que vous avez vu : rien n'a été importé. "
                    "Vérifiez cet aperçu à jour, puis confirmez de nouveau.",
                )
                return redirect("admin:poles_membership_import_preview", token=token)
            if not plan.has_changes:
                _forget(request, token)
                messages.info(request, "Rien à importer : la base contient déjà exactement ce que dit le fichier.")
                return redirect(_changelist_url(pole))
            result = apply_plan(plan, user=request.user)
            summary = (
                f"Import de la liste des membres {plan.year} (fichier « {pending['filename']} », "
                f"SHA-256 {parsed.sha256[:12]}) : {result}."
            )
            _log(request, plan, summary)
    except IntegrityError:
        # E.g. another member of staff created the same SIREN or address in the meantime.
        messages.error(
            request,
            "L'import a été refusé par la base de données (modification simultanée ?) : rien n'a été importé. "
            "Vérifiez cet aperçu à jour, puis confirmez de nouveau.",
        )
        return redirect("admin:poles_membership_import_preview", token=token)
    _forget(request, token)
    messages.success(request, summary)
    return redirect(_changelist_url(pole))


def _log(request: HttpRequest, plan, summary: str) -> None:
    """The admin history of the pôle, and of every organisation and membership the import created or changed."""
    origin = f"Import de la liste des membres {plan.year} de « {plan.pole.name} »"
    entries = [_entry(request, plan.pole, CHANGE, summary)]
    for row in plan.rows:
        if row.action == CREATE:
            entries.append(_entry(request, row.organisation, ADDITION, origin))
        elif row.organisation_fields:
            described = " ; ".join(f"{c.label} : {c.old or '(vide)'} → {c.new}" for c in row.changes)
            entries.append(_entry(request, row.organisation, CHANGE, f"{origin} : {described}"))
        if row.creates_membership:
            entries.append(_entry(request, row.membership, ADDITION, origin))
        elif row.membership_fields:
            described = " ; ".join(f"{c.label} : {c.old or '(vide)'} → {c.new}" for c in row.membership_changes)
            entries.append(_entry(request, row.membership, CHANGE, f"{origin} : {described}"))
    LogEntry.objects.bulk_create(entries, batch_size=500)


def _entry(request: HttpRequest, obj, flag: int, message: str) -> LogEntry:
    return LogEntry(
        user_id=request.user.pk,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )


def _changelist_url(pole: Pole) -> str:
    return reverse("admin:poles_membership_changelist") + f"?pole__id__exact={pole.pk}"


def _render_preview(model_admin, request, token, pending, plan, status: int = 200) -> HttpResponse:
    counts = plan.counts
    context = _context(
        model_admin,
        request,
        f"Aperçu de l'import : {plan.pole.name}, {plan.year}",
        plan=plan,
        token=token,
        filename=pending["filename"],
        counts=counts,
        sections=[
            (INVALID, "Lignes invalides", plan.by_action(INVALID)),
            (CREATE, "Organisations à créer", plan.by_action(CREATE)),
            (UPDATE, "Organisations ou adhésions à mettre à jour", plan.by_action(UPDATE)),
            (UNCHANGED, "Lignes inchangées", plan.by_action(UNCHANGED)),
        ],
        upload_url=reverse("admin:poles_membership_import") + f"?pole={plan.pole.pk}",
    )
    return render(request, "admin/poles/member_import/preview.html", context, status=status)


@require_safe
def template_csv(request: HttpRequest, model_admin: admin.ModelAdmin) -> HttpResponse:
    """An empty list with every documented column, in the format Excel opens directly (BOM, `;`)."""
    response = HttpResponse(
        "\ufeff" + ";".join(column.key for column in COLUMNS) + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="modele-liste-membres.csv"'
    return response


# --- The pending uploads, in the session -------------------------------------------------------------------------


def _pending(request: HttpRequest) -> dict:
    return request.session.get(SESSION_KEY, {})


def _store(request: HttpRequest, form: MemberImportForm) -> str:
    token = secrets.token_urlsafe(16)
    pending = dict(sorted(_pending(request).items(), key=lambda item: item[1]["stored_at"])[-(PENDING_KEPT - 1):])
    pending[token] = {
        "pole": form.cleaned_data["pole"].pk,
        "year": form.cleaned_data["year"],
        "source": form.cleaned_data["source"],
        "filename": form.cleaned_data["file"].name[:200],
        "content": form.data_bytes.decode("latin-1"),  # any bytes, losslessly, as JSON text (sessions compress)
        "stored_at": time.time(),
    }
    request.session[SESSION_KEY] = pending
    return token


def _forget(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    if token in pending:
        del pending[token]
        request.session[SESSION_KEY] = pending
        request.session.modified = True
