"""URL converters shared by every app: a database id is 1 to 18 ASCII digits, so a huge number
(2**63 and beyond) or a non-digit in a URL is a plain 404, never a value the database refuses
(a 500 on PostgreSQL). Importing this module registers ``<dbid:...>``."""

from django.urls import register_converter


class DatabaseIdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(DatabaseIdConverter, "dbid")
