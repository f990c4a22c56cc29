from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Group, Membership, Tenant, User, UserDeletion


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "hash", "scim_test_email", "created_at"]
    search_fields = ["name", "hash"]
    readonly_fields = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["tenant__name", "email"]
    list_display = ["email", "user_name", "tenant", "is_active", "is_staff"]
    list_filter = ["tenant", "is_active", "is_staff"]
    search_fields = ["email", "user_name", "external_id"]
    readonly_fields = ["id", "date_joined", "updated_at", "last_login"]
    fieldsets = [
        (None, {"fields": ["id", "tenant", "email", "user_name", "external_id", "password"]}),
        ("Name", {"fields": ["given_name", "family_name", "display_name"]}),
        ("SCIM attributes", {"fields": ["attributes"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "last_login",
                               "date_joined", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["tenant", "email", "password1", "password2"]}),
    ]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["display_name", "tenant", "role"]
    list_filter = ["tenant", "role"]
    search_fields = ["display_name", "external_id"]
    inlines = [MembershipInline]


@admin.register(UserDeletion)
class UserDeletionAdmin(admin.ModelAdmin):
    list_display = ["email", "user_name", "tenant", "actor", "deleted_at"]
    list_filter = ["tenant"]
    search_fields = ["email", "user_name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
