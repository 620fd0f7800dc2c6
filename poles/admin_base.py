"""What every admin of public content shares: the publication workflow, the trash, corrections and history.

- Publishing is a permission of its own, `<app>.publish_<model>` (declared by each content model): without it, staff
  create and edit drafts only. The status choices they are offered follow it, and a forged POST that publishes,
  archives, unpublishes or schedules is refused with a form error, nothing written. The actions « Publier »,
  « Archiver » and « Repasser en brouillon » need it too.
- Publishing checks completeness first (`Content.publication_problems`) and says what is missing. Items published
  before the check existed and still incomplete can be edited (a warning says what they lack).
- Deleting puts in the trash (`Content.soft_delete`): gone from the public site and from the default lists, listed
  by the « Corbeille » filter, restored by an action that needs the delete permission. Superusers alone may delete
  for good, from the trash.
- A change ticked « Correction publique », with its reason, is listed on the public page; routine edits are not.
- Each save writes one version (poles.history), once the many-to-many values and inlines are saved; the history page
  shows who changed what, field by field, and restores an earlier version in one click.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from poles.admin_audit import LoggedActionsMixin
from poles.content import Content, Correction, PublicationStatus
from poles.history import record_version, restore_version, versions

PUBLICATION_FIELDS = ["status", "publish_at", "deleted_at", "is_synthetic", "created_at", "updated_at"]
CORRECTION_FIELDS = ["public_correction", "correction_reason"]
BOTH_LOCATIONS = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def join_words(items: list[str]) -> str:
    """« a, b et c »."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else _("%(first)s et %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def publish_permission(model: type[Model]) -> str:
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def may_publish(user, model: type[Model]) -> bool:
    return user.has_perm(publish_permission(model))


def missing_message(problems: list[str]) -> str:
    return _("Impossible de publier : il manque %(missing)s.") % {"missing": join_words(problems)}


# Forms


class ContentForm(forms.ModelForm):
    """The admin form of a content type (also the form of each row of a content inline, such as an event's sessions).

    `may_publish` and `inline_relations` are set per request by the admin (ContentAdmin.get_form); the correction
    fields are added when the user may publish an existing item that has a public page.
    """

    may_publish = False
    inline_relations: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.original = (instance.status, instance.publish_at) if instance.pk else None
        status = self.fields.get("status")
        if status is None:
            return
        if self.original is None and not self.is_bound:
            self.initial["status"] = PublicationStatus.DRAFT  # a new item starts as a draft
        if not self.may_publish:
            allowed = {PublicationStatus.DRAFT} if self.original is None else {self.original[0]}
            status.choices = [(value, label) for value, label in status.choices if value in allowed]
            status.help_text = _("Seul un éditeur peut publier, programmer ou archiver.")

    def clean(self):
        cleaned = super().clean()
        if "status" in self.fields:
            self._check_permission(cleaned)
            self._check_completeness(cleaned)
        if cleaned.get("public_correction") and not cleaned.get("correction_reason", "").strip():
            self.add_error("correction_reason", _("Indiquez la raison de la correction : elle sera affichée sur la page publique."))
        return cleaned

    def _check_permission(self, cleaned) -> None:
        if self.may_publish:
            return
        status, publish_at = cleaned.get("status"), cleaned.get("publish_at")
        if self.original is None:
            if status is not None and status != PublicationStatus.DRAFT:
                self.add_error("status", _("Vous ne pouvez créer que des brouillons : seul un éditeur publie ou archive."))
            if publish_at is not None:
                self.add_error("publish_at", _("Seul un éditeur peut programmer une publication."))
            return
        if status is not None and status != self.original[0]:
            self.add_error("status", _("Seul un éditeur peut changer l'état de publication."))
        if "publish_at" in self.fields and publish_at != self.original[1]:
            self.add_error("publish_at", _("Seul un éditeur peut programmer une publication."))

    def _check_completeness(self, cleaned) -> None:
        """Publishing needs a complete item, unless it was published already while incomplete (data loaded before
        the check existed: still editable, the admin warns)."""
        instance = self.instance
        self.instance._publication_check = False
        if cleaned.get("status") != PublicationStatus.PUBLISHED or self.errors:
            return
        if self.original is not None and self.original[0] == PublicationStatus.PUBLISHED and instance.publication_problems():
            return
        self.instance._publication_check = True
        pending = {}
        for name in instance.required_for_publication:
            if name in self.inline_relations:
                pending[name] = True  # the inline's formset checks it, with the rows being saved
            elif name in cleaned:
                value = cleaned[name]
                pending[name] = value.exists() if hasattr(value, "exists") else value not in (None, "", [])
        problems = instance.publication_problems(pending)
        if problems:
            self.add_error("status", missing_message(problems))


class CorrectionFields(forms.Form):
    public_correction = forms.BooleanField(
        label=_lazy("Correction publique"),
        required=False,
        help_text=_lazy(
            "À cocher si cette modification corrige une erreur : la page publique affichera « Modifié le … » avec la "
            "raison. Les modifications courantes ne sont pas signalées au public."
        ),
    )
    correction_reason = forms.CharField(
        label=_lazy("Raison de la correction (publique)"),
        required=False,
        max_length=300,
        help_text=_lazy("Par exemple : « Date de l'événement corrigée : 5 décembre et non 4 décembre »."),
    )


class PublicationInlineFormSet(BaseInlineFormSet):
    """An inline of a content item's children: checks the parent's requirement on them when it is being published
    (an event needs a session, a session a speaker), and puts content children in the trash instead of deleting."""

    def clean(self):
        super().clean()
        parent = self.instance
        relation = self.fk.remote_field.get_accessor_name()
        required = getattr(parent, "required_for_publication", {})
        if not getattr(parent, "_publication_check", False) or relation not in required:
            return
        remaining = [
            form
            for form in self.forms
            if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]
        if not remaining:
            raise ValidationError(missing_message([required[relation]]))

    def delete_existing(self, obj, commit=True):
        if commit and isinstance(obj, Content):
            obj.soft_delete()
        else:
            super().delete_existing(obj, commit=commit)


class ContentInline(admin.StackedInline):
    """An inline whose rows are content themselves (an event's sessions): drafts by default, the same publishing
    rule as their own admin, deleted rows go to the trash and are not listed."""

    formset = PublicationInlineFormSet
    form = ContentForm

    def get_queryset(self, request):
        return super().get_queryset(request).filter(deleted_at__isnull=True)

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = type(self.form.__name__, (self.form,), {"may_publish": may_publish(request.user, self.model)})
        return super().get_formset(request, obj, **kwargs)


# List filters


class TrashFilter(admin.SimpleListFilter):
    """Deleted items are listed only here; every other list leaves them out."""

    title = _lazy("corbeille")
    parameter_name = "corbeille"

    def lookups(self, request, model_admin):
        return [("1", _lazy("Éléments supprimés"))]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = _("Hors corbeille")
        return choices

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(deleted_at__isnull=False)
        return queryset.filter(deleted_at__isnull=True)


# History


class HistoryContextHelper(HistoricalRecordContextHelper):
    """Field changes as staff read them: choice labels, local dates, yes/no."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if getattr(field, "choices", None) and not field.many_to_many:
            return dict(field.flatchoices).get(value, value) if value not in (None, "") else "—"
        if isinstance(value, bool):
            return _("oui") if value else _("non")
        if hasattr(value, "tzinfo") and hasattr(value, "hour"):
            return formats.date_format(timezone.localtime(value), "j F Y à H:i") if value else "—"
        if value in (None, ""):
            return "—"
        return super().prepare_delta_change_value(change, value)


class VersionedAdmin(SimpleHistoryAdmin):
    """History page with field-level changes and the admin's action log, and « Restaurer cette version »."""

    object_history_template = "admin/versioned/object_history.html"
    history_list_per_page = 50

    def get_urls(self):
        opts = self.model._meta
        restore = path(
            "<path:object_id>/history/<int:history_id>/restore/",
            self.admin_site.admin_view(self.restore_version_view),
            name=f"{opts.app_label}_{opts.model_name}_restore_version",
        )
        return [restore, *super().get_urls()]

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryContextHelper(self.model, historical_record)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history's own calls select_related() without arguments for models without foreign keys, which
        # Django deprecates; the same, with the tracked foreign keys named.
        foreign_keys = [field.name for field in history_manager.model.tracked_fields if field.many_to_one]
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user", *foreign_keys)

    def may_restore(self, request, obj) -> bool:
        return self.has_change_history_permission(request, obj) and self.has_change_permission(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = get_object_or_404(self.model._default_manager, pk=object_id)
        actions = (
            LogEntry.objects.filter(object_id=str(obj.pk), content_type=ContentType.objects.get_for_model(self.model))
            .select_related("user")
            .order_by("-action_time")[:100]
        )
        context = {
            "action_list": actions,
            "may_restore": self.may_restore(request, obj),
            "related_versions": self.related_versions(request, obj),
            "latest_version_id": versions(obj).values_list("history_id", flat=True).first(),
            **(extra_context or {}),
        }
        return super().history_view(request, object_id, extra_context=context)

    def related_versions(self, request, obj) -> list:
        """The latest changes of the child rows edited in this page's inlines (a pôle's names, a session's speakers)."""
        from poles.history import is_tracked

        rows = []
        for inline in self.get_inline_instances(request, obj):
            if not is_tracked(inline.model):
                continue
            fk = next(f for f in inline.model._meta.fields if f.is_relation and f.related_model is self.model)
            records = (
                inline.model.history.filter(**{fk.attname: obj.pk}).select_related("history_user").order_by("-history_date")[:30]
            )
            for record in records:
                previous = record.prev_record
                changes = []
                if previous is not None and record.history_type == "~":
                    delta = record.diff_against(previous, foreign_keys_are_objs=True)
                    changes = HistoryContextHelper(inline.model, record).context_for_delta_changes(delta)
                rows.append({"model": inline.model._meta.verbose_name, "record": record, "changes": changes})
        rows.sort(key=lambda row: row["record"].history_date, reverse=True)
        return rows[:30]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history's own form would save a POST even with reverting disabled: versions are read here, and
        # restored by restore_version_view only.
        if request.method != "GET":
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def restore_version_view(self, request: HttpRequest, object_id: str, history_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = get_object_or_404(self.model._default_manager, pk=object_id)
        if not self.may_restore(request, obj):
            raise PermissionDenied
        record = get_object_or_404(versions(obj), history_id=history_id)
        restored = restore_version(record, user=request.user)
        when = formats.date_format(timezone.localtime(record.history_date), "j F Y à H:i")
        message = _("Version du %(when)s restaurée") % {"when": when}
        self.log_change(request, restored, message)
        self.message_user(request, _("« %(obj)s » : %(message)s.") % {"obj": restored, "message": message}, messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))


# The content admin


class ContentAdmin(LoggedActionsMixin, VersionedAdmin):
    """Shared by every public content type: publication fields last, workflow, trash, corrections, history."""

    form = ContentForm
    readonly_fields = ["is_synthetic", "created_at", "updated_at"]
    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over 100 000 rows on every page
    delete_confirmation_template = "admin/versioned/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/versioned/delete_selected_confirmation.html"
    actions = ["publish", "archive", "back_to_draft", "restore_from_trash", "purge"]

    # Permissions

    def has_publish_permission(self, request, obj=None) -> bool:
        return may_publish(request.user, self.model)

    def has_purge_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    # Lists

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete":
            queryset = queryset.filter(deleted_at__isnull=True)  # nothing deleted is offered as a choice
        return queryset

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), TrashFilter]

    def get_list_display(self, request):
        return [self.publication if name == "status" else name for name in super().get_list_display(request)]

    @admin.display(description=_lazy("publication"), ordering="status")
    def publication(self, obj: Content) -> str:
        return capfirst(obj.publication_state)

    # The form

    def get_changeform_initial_data(self, request):
        return {"status": PublicationStatus.DRAFT, **super().get_changeform_initial_data(request)}

    def offers_correction(self, request, obj) -> bool:
        return obj is not None and hasattr(obj, "get_absolute_url") and self.has_publish_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        relations = {
            relation.get_accessor_name()
            for relation in self.model._meta.related_objects
            if relation.related_model in {inline.model for inline in self.get_inline_instances(request, obj)}
        }
        attributes = {"may_publish": self.has_publish_permission(request, obj), "inline_relations": frozenset(relations)}
        if self.offers_correction(request, obj):
            attributes.update(CorrectionFields.base_fields)
        kwargs["form"] = type(self.form.__name__, (self.form,), attributes)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.deleted_at is not None:
            readonly.append("deleted_at")
        if self.offers_correction(request, obj):
            readonly.append("published_corrections")
        return readonly

    @admin.display(description=_lazy("corrections déjà publiées"))
    def published_corrections(self, obj: Content) -> str:
        corrections = [str(correction) for correction in obj.public_corrections()]
        return format_html_join(mark_safe("<br>"), "{}", ((text,) for text in corrections)) or "—"

    def get_fieldsets(self, request, obj=None):
        """The subclass's fieldsets without the publication fields, then « Publication » and « Correction publique »."""
        set_apart = {*PUBLICATION_FIELDS, *CORRECTION_FIELDS, "published_corrections"}
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [field for field in options.get("fields", []) if field not in set_apart]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        shown = [*self.get_form(request, obj, fields=None).base_fields, *self.get_readonly_fields(request, obj)]
        publication = [field for field in PUBLICATION_FIELDS if field in shown]
        fieldsets.append((_("Publication"), {"fields": publication}))
        if self.offers_correction(request, obj):
            fieldsets.append((_("Correction publique"), {"fields": [*CORRECTION_FIELDS, "published_corrections"]}))
        return fieldsets

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None:
                self.warn_about(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def warn_about(self, request, obj: Content) -> None:
        if obj.deleted_at is not None:
            self.message_user(
                request,
                _("Cet élément est dans la corbeille : il n'est pas visible sur le site. L'action « Restaurer depuis la "
                  "corbeille » le remet en place."),
                messages.WARNING,
            )
        elif obj.status == PublicationStatus.PUBLISHED and (problems := obj.publication_problems()):
            self.message_user(
                request,
                _("Publié mais incomplet : il manque %(missing)s.") % {"missing": join_words(problems)},
                messages.WARNING,
            )

    # Saving: one version per save, once everything is saved

    def save_model(self, request, obj, form, change):
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        obj.__dict__.pop("skip_history_when_saving", None)
        reason = None
        if form.cleaned_data.get("public_correction"):
            text = form.cleaned_data["correction_reason"].strip()
            Correction.objects.create(content_object=obj, reason=text, user=request.user)
            reason = _("Correction publique : %(reason)s") % {"reason": text}
        if not change or form.has_changed() or reason:
            record_version(obj, "~" if change else "+", reason=reason, user=request.user)

    # Deleting: the trash

    def delete_model(self, request, obj):
        self._to_trash(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._to_trash(request, obj)

    def _to_trash(self, request, obj: Content) -> None:
        obj._history_user = request.user
        obj._change_reason = _("Mis à la corbeille")
        obj.soft_delete()

    def get_deleted_objects(self, objs, request):
        """What a deletion touches: the items themselves, nothing related (they go to the trash, nothing cascades)."""
        objs = list(objs)
        denied = {self.opts.verbose_name} if not all(self.has_delete_permission(request, obj) for obj in objs) else set()
        described = [f"{capfirst(self.opts.verbose_name)} : {obj}" for obj in objs]
        return described, {self.opts.verbose_name_plural: len(objs)}, denied, []

    def response_delete(self, request, obj_display, obj_id):
        if "_popup" in request.POST:
            return super().response_delete(request, obj_display, obj_id)
        self.message_user(
            request,
            _("« %(obj)s » est dans la corbeille : il n'est plus visible sur le site et peut être restauré (filtre « Corbeille »).")
            % {"obj": obj_display},
            messages.SUCCESS,
        )
        opts = self.opts
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist", current_app=self.admin_site.name)
        url = add_preserved_filters({"preserved_filters": self.get_preserved_filters(request), "opts": opts}, url)
        return HttpResponseRedirect(url)

    # Actions

    def _change_status(self, request, queryset, status: str, label: str) -> None:
        changed, refused = [], []
        for obj in queryset:
            if obj.deleted_at is not None:
                refused.append(_("« %(obj)s » est dans la corbeille : restaurez-le d'abord.") % {"obj": obj})
                continue
            if obj.status == status:
                continue
            if status == PublicationStatus.PUBLISHED and (problems := obj.publication_problems()):
                refused.append(_("« %(obj)s » : %(message)s") % {"obj": obj, "message": missing_message(problems)})
                continue
            obj.status = status
            obj._history_user = request.user
            obj._change_reason = _("Action « %(label)s »") % {"label": label}
            obj.save()
            changed.append(obj)
        for message in refused:
            self.message_user(request, message, messages.ERROR)
        if changed:
            scheduled = [obj for obj in changed if obj.is_scheduled]
            text = ngettext("%(count)d élément : %(label)s.", "%(count)d éléments : %(label)s.", len(changed))
            text = text % {"count": len(changed), "label": label.lower()}
            if scheduled:
                text += " " + _("Programmés, visibles à partir de la date prévue : %(items)s.") % {
                    "items": join_words([f"{obj} ({obj.publication_state})" for obj in scheduled])
                }
            self.message_user(request, text, messages.SUCCESS)

    @admin.action(description=_lazy("Publier"), permissions=["publish"], location=BOTH_LOCATIONS)
    def publish(self, request, queryset):
        self._change_status(request, queryset, PublicationStatus.PUBLISHED, _("Publié"))

    @admin.action(description=_lazy("Archiver"), permissions=["publish"], location=BOTH_LOCATIONS)
    def archive(self, request, queryset):
        self._change_status(request, queryset, PublicationStatus.ARCHIVED, _("Archivé"))

    @admin.action(description=_lazy("Repasser en brouillon"), permissions=["publish"], location=BOTH_LOCATIONS)
    def back_to_draft(self, request, queryset):
        self._change_status(request, queryset, PublicationStatus.DRAFT, _("Repassé en brouillon"))

    @admin.action(description=_lazy("Restaurer depuis la corbeille"), permissions=["delete"], location=BOTH_LOCATIONS)
    def restore_from_trash(self, request, queryset):
        restored = 0
        for obj in queryset.filter(deleted_at__isnull=False):
            obj._history_user = request.user
            obj._change_reason = _("Restauré depuis la corbeille")
            obj.restore()
            restored += 1
        text = ngettext("%(count)d élément restauré.", "%(count)d éléments restaurés.", restored) % {"count": restored}
        self.message_user(request, text, messages.SUCCESS if restored else messages.WARNING)

    @admin.action(description=_lazy("Supprimer définitivement (éléments de la corbeille)"), permissions=["purge"])
    def purge(self, request, queryset):
        purged = 0
        for obj in queryset.filter(deleted_at__isnull=False):
            Correction.objects.for_items([obj]).delete()
            obj.delete()
            purged += 1
        text = ngettext(
            "%(count)d élément supprimé définitivement.", "%(count)d éléments supprimés définitivement.", purged
        ) % {"count": purged}
        if purged < queryset.count():
            text += " " + _("Seuls les éléments déjà dans la corbeille sont supprimés définitivement.")
        self.message_user(request, text, messages.SUCCESS if purged else messages.WARNING)

