"""URL prefixes that other code and IdP guides depend on."""

# One SCIM base URL for all tenants; the bearer token picks the tenant. No trailing slash:
# JumpCloud rejects a SCIM base URL that ends with "/".
SCIM_BASE_PATH = "/scim/v2"
