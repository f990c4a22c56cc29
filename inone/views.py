"""Panel pages for tenant users, the /api/me endpoint and the health check."""

import logging
from urllib.parse import urlencode

from django.contrib import auth
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import tenant_get_by_hash, user_primary_role, user_roles

logger = logging.getLogger("inone.panel")


class HomeView(LoginRequiredMixin, View):
    """Show who is signed in, or the "no access" page to a tenant user without a role."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        roles = user_roles(user)
        context = {
            "tenant": user.tenant,
            "roles": [role.group_name for role in roles],
            "primary_role": roles[0].group_name if roles else None,
        }
        if user.tenant_id is not None and not roles:
            return render(request, "panel/no_access.html", context, status=403)
        return render(request, "panel/home.html", context)


class LoginView(View):
    """Ask for the company's tenant hash and send the browser to that tenant's SSO login."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "panel/login.html", {"next": safe_next(request)})

    def post(self, request: HttpRequest) -> HttpResponse:
        tenant_hash = request.POST.get("tenant", "").strip()
        tenant = tenant_get_by_hash(tenant_hash) if tenant_hash else None
        if tenant is None:
            context = {"next": safe_next(request), "error": "No company matches that code."}
            return render(request, "panel/login.html", context, status=400)
        login_url = reverse("sso:login", kwargs={"tenant_hash": tenant.hash})
        return redirect(f"{login_url}?{urlencode({'next': safe_next(request)}, safe='/')}")


class LogoutView(View):
    def post(self, request: HttpRequest) -> HttpResponse:
        auth.logout(request)
        return redirect("login")


class MeView(APIView):
    """Identity of the signed-in user, for the rest of Inone."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        user = request.user
        primary = user_primary_role(user)
        return Response(
            {
                "email": user.email,
                "tenant": user.tenant.hash if user.tenant else None,
                "roles": [role.group_name for role in user_roles(user)],
                "primary_role": primary.group_name if primary else None,
            }
        )


def health(request: HttpRequest) -> JsonResponse:
    """Report liveness and readiness: 200 when a database query succeeds, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.error("panel.health.database-unavailable", exc_info=True)
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def safe_next(request: HttpRequest) -> str:
    """Return the requested `next` path, or "/" when it would lead off this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or "/"
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts=None, require_https=False
    ):
        return candidate
    return "/"
