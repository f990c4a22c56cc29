"""The six Insider role groups and their order of precedence."""

from django.db import models


class Role(models.TextChoices):
    MANAGE_USERS = "manage_users", "Manage Users"
    EDIT_AND_PUBLISH = "edit_and_publish", "Edit and Publish"
    COLLABORATE = "collaborate", "Collaborate"
    VIEW_ONLY = "view_only", "View Only"
    CHANGE_CAMPAIGN_STATUS_ONLY = "change_campaign_status_only", "Change Campaign Status Only"
    OUTSOURCE = "outsource", "Outsource"

    @property
    def group_name(self) -> str:
        """Return the SCIM displayName of this role's group, as the setup guide prints it."""
        return f"Insider {self.label}"

    @property
    def description(self) -> str:
        return f"{self.label} role for Insider One"


# The order in which the six groups are created and listed (the setup guide's table order).
ROLE_GROUP_ORDER: tuple[Role, ...] = (
    Role.MANAGE_USERS,
    Role.EDIT_AND_PUBLISH,
    Role.COLLABORATE,
    Role.VIEW_ONLY,
    Role.CHANGE_CAMPAIGN_STATUS_ONLY,
    Role.OUTSOURCE,
)

# The primary role shown for a user is the first of their roles in this order.
ROLE_PRECEDENCE: tuple[Role, ...] = (
    Role.MANAGE_USERS,
    Role.EDIT_AND_PUBLISH,
    Role.COLLABORATE,
    Role.CHANGE_CAMPAIGN_STATUS_ONLY,
    Role.VIEW_ONLY,
    Role.OUTSOURCE,
)


def sort_by_precedence(roles: set[Role] | list[Role]) -> list[Role]:
    return [role for role in ROLE_PRECEDENCE if role in roles]
