"""Log formatting that shows the structured fields passed with `extra=`."""

import logging

# Attributes every LogRecord has; anything else on a record came from `extra=`.
STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", logging.INFO, "", 0, "", None, None).__dict__
) | {"message", "asctime"}


class KeyValueFormatter(logging.Formatter):
    """Append each `extra` field as key=value, so event lines carry their ids.

    Values are written with repr() when they contain spaces, quotes or control characters, so one
    field cannot be mistaken for two and a line stays one line.
    """

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = [
            f"{key}={self._value(value)}"
            for key, value in record.__dict__.items()
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_")
        ]
        if not fields:
            return line
        head, newline, trace = line.partition("\n")
        return f"{head} {' '.join(fields)}{newline}{trace}"

    @staticmethod
    def _value(value: object) -> str:
        text = str(value)
        if not text or not text.isprintable() or any(character in text for character in " \"'="):
            return repr(text)
        return text
