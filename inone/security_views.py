"""Settings > Security: where a tenant's Manage Users members configure SSO and SCIM."""

import logging

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from accounts.models import Tenant
from accounts.roles import Role
from accounts.selectors import user_roles
from inone.security_forms import MetadataUploadForm, TokenCreateForm, TokenRevokeForm
from inone.setup_values import setup_tables
from scim.selectors import tenant_token_get, tenant_tokens
from scim.services import token_create, token_revoke
from sso.selectors import saml_configuration_get
from sso.services import InvalidMetadata, idp_metadata_import

logger = logging.getLogger("inone.panel")


class SecurityView(LoginRequiredMixin, View):
    """Show the values for the IdP, take an IdP metadata upload, and create or revoke tokens.

    Each POST names its action. A new token appears only in the response to the POST that created
    it, and only its digest is stored, so it cannot be displayed again.
    """

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if user.is_authenticated and (
            user.tenant is None or Role.MANAGE_USERS not in user_roles(user)
        ):
            return render(request, "panel/forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action")
        if action == "upload-metadata":
            return self.upload_metadata(request)
        if action == "create-token":
            return self.create_token(request)
        if action == "revoke-token":
            return self.revoke_token(request)
        return self.page(request, status=400, error="Unknown action; reload the page and retry.")

    def upload_metadata(self, request: HttpRequest) -> HttpResponse:
        form = MetadataUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.page(request, status=400, metadata_form=form)
        tenant = request.user.tenant
        try:
            summary = idp_metadata_import(tenant=tenant, xml=form.cleaned_data["metadata"])
        except InvalidMetadata as error:
            form.add_error("metadata", str(error))
            logger.info("panel.security.metadata-rejected", extra={"tenant": tenant.hash})
            return self.page(request, status=400, metadata_form=form)
        logger.info(
            "panel.security.metadata-uploaded",
            extra={"tenant": tenant.hash, "user_id": str(request.user.pk),
                   "idp_entity_id": summary.entity_id},
        )
        return self.page(request, notice=f"Imported the metadata of {summary.entity_id}.")

    def create_token(self, request: HttpRequest) -> HttpResponse:
        form = TokenCreateForm(request.POST)
        if not form.is_valid():
            return self.page(request, status=400, token_form=form)
        _token, raw_token = token_create(
            tenant=request.user.tenant,
            name=form.cleaned_data["name"],
            expires_days=form.cleaned_data["expires_days"],
        )
        return self.page(request, new_token=raw_token)

    def revoke_token(self, request: HttpRequest) -> HttpResponse:
        form = TokenRevokeForm(request.POST)
        token = None
        if form.is_valid():
            token = tenant_token_get(request.user.tenant, form.cleaned_data["token_id"])
        if token is None:
            return self.page(request, status=404, error="No such token in this company.")
        token_revoke(token)
        return redirect("settings-security")

    def page(self, request: HttpRequest, status: int = 200, **context) -> HttpResponse:
        tenant: Tenant = request.user.tenant
        tables = setup_tables(tenant)
        context.setdefault("metadata_form", MetadataUploadForm())
        context.setdefault("token_form", TokenCreateForm())
        context.update(
            tenant=tenant,
            sso_table=tables[0],
            groups_table=tables[1],
            scim_table=tables[2],
            saml=saml_configuration_get(tenant),
            tokens=tenant_tokens(tenant),
        )
        return render(request, "panel/security.html", context, status=status)
