from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group as DjangoAuthGroup
from django.http import HttpRequest

from accounts.models import Group, Membership, Tenant, User, UserDeletion
from accounts.selectors import user_primary_role, user_roles

# Roles come from the tenant groups below; Django's permission groups are unused here, and a
# second "Groups" entry in the admin index would be mistaken for the role groups.
admin.site.unregister(DjangoAuthGroup)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = "member"
    verbose_name_plural = "members"


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["group"]
    verbose_name = "group membership"
    verbose_name_plural = "group memberships"


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "hash", "scim_test_email", "created_at"]
    search_fields = ["name", "hash"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["tenant__name", "email"]
    list_display = ["email", "user_name", "tenant", "primary_role", "is_active", "is_staff"]
    list_filter = ["tenant", "is_active", "is_staff"]
    search_fields = ["email", "user_name", "external_id"]
    readonly_fields = ["id", "roles", "date_joined", "updated_at", "last_login"]
    inlines = [UserMembershipInline]
    tenant_fieldsets = [
        (None, {"fields": ["id", "tenant", "email", "user_name", "external_id"]}),
        ("Roles", {"fields": ["roles"]}),
        ("Name", {"fields": ["given_name", "family_name", "display_name"]}),
        ("SCIM attributes", {"fields": ["attributes"]}),
        ("Status", {"fields": ["is_active", "last_login", "date_joined", "updated_at"]}),
    ]
    # Operators have no tenant and sign in to this admin with a password.
    operator_fieldsets = [
        (None, {"fields": ["id", "email", "password"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "last_login",
                               "date_joined", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["tenant", "email", "password1", "password2"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None):
        if obj is None:
            return self.add_fieldsets
        return self.tenant_fieldsets if obj.tenant_id else self.operator_fieldsets

    def get_inlines(self, request: HttpRequest, obj: User | None):
        return self.inlines if obj is not None and obj.tenant_id else []

    @admin.display(description="Roles")
    def roles(self, user: User) -> str:
        names = [role.group_name for role in user_roles(user)]
        return ", ".join(names) or "None (the user sees the no-access page)"

    @admin.display(description="Primary role")
    def primary_role(self, user: User) -> str:
        role = user_primary_role(user)
        return role.group_name if role else ""


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["display_name", "tenant", "role"]
    list_filter = ["tenant", "role"]
    search_fields = ["display_name", "external_id"]
    inlines = [MembershipInline]
    fields = ["tenant", "display_name", "external_id", "role"]


@admin.register(UserDeletion)
class UserDeletionAdmin(admin.ModelAdmin):
    list_display = ["email", "user_name", "tenant", "actor", "deleted_at"]
    list_filter = ["tenant"]
    search_fields = ["email", "user_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
