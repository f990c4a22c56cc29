import logging

from inone.log_format import KeyValueFormatter


def format_record(message: str, **extra) -> str:
    record = logging.LogRecord("inone.test", logging.INFO, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    return KeyValueFormatter("%(levelname)s %(name)s %(message)s").format(record)


def test_extra_fields_follow_the_event():
    line = format_record("scim.user.created", tenant="acme", user_id="42")

    assert line == "INFO inone.test scim.user.created tenant=acme user_id=42"


def test_values_with_spaces_are_quoted():
    line = format_record("sso.acs.rejected", reason="wrong audience")

    assert line == "INFO inone.test sso.acs.rejected reason='wrong audience'"


def test_record_without_extra_is_unchanged():
    assert format_record("panel.started") == "INFO inone.test panel.started"


def test_control_characters_are_escaped():
    line = format_record("scim.request", path="/scim/v2/Users/\x00\nX")

    assert line == "INFO inone.test scim.request path='/scim/v2/Users/\\x00\\nX'"
