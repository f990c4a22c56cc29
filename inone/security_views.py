"""Settings > Security: where a tenant's Manage Users members configure SSO and SCIM."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from accounts.roles import Role
from accounts.selectors import user_roles


class SecurityView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.tenant is None or Role.MANAGE_USERS not in user_roles(request.user):
            return render(request, "panel/forbidden.html", status=403)
        return render(request, "panel/security.html", {"tenant": request.user.tenant})
