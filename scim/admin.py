from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from scim.models import ScimRequestLog, ScimTenantSettings, ScimToken
from scim.services import token_create, token_revoke


class ScimTokenCreateForm(forms.ModelForm):
    expires_days = forms.IntegerField(
        required=False, min_value=1, help_text="Days until the token expires; empty for never."
    )

    class Meta:
        model = ScimToken
        fields = ["tenant", "name"]


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "prefix", "created_at", "last_used_at", "expires_at",
                    "revoked_at"]
    list_filter = ["tenant"]
    search_fields = ["name", "prefix", "tenant__name", "tenant__hash"]
    actions = ["revoke"]

    def get_form(self, request: HttpRequest, obj=None, change: bool = False, **kwargs):
        if obj is None:
            kwargs["form"] = ScimTokenCreateForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return ["tenant", "name", "expires_days"]
        return ["tenant", "name", "prefix", "created_at", "last_used_at", "expires_at",
                "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        if obj is None:
            return []
        # The digest is never shown, and an existing token is changed only by revoking it.
        return ["tenant", "name", "prefix", "created_at", "last_used_at", "expires_at",
                "revoked_at"]

    def save_model(self, request: HttpRequest, obj: ScimToken, form, change: bool) -> None:
        if change:
            return
        token, raw_token = token_create(
            tenant=form.cleaned_data["tenant"],
            name=form.cleaned_data["name"],
            expires_days=form.cleaned_data.get("expires_days"),
        )
        # The admin redirects to the saved object, so the form's instance becomes the new row.
        obj.pk = token.pk
        obj.__dict__.update(token.__dict__)
        messages.warning(
            request,
            f"Bearer token for {token.name!r}: {raw_token} . Copy it now; it is not stored and "
            "cannot be shown again.",
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ScimToken]) -> None:
        for token in queryset.select_related("tenant"):
            token_revoke(token)
        self.message_user(request, f"Revoked {queryset.count()} token(s).")


@admin.register(ScimRequestLog)
class ScimRequestLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "tenant", "token_name", "method", "path", "status",
                    "duration_ms"]
    list_filter = ["tenant", "method", "status"]
    search_fields = ["path", "token_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ScimTenantSettings)
class ScimTenantSettingsAdmin(admin.ModelAdmin):
    list_display = ["tenant", "log_bodies"]
    list_filter = ["log_bodies"]
    search_fields = ["tenant__name", "tenant__hash"]
