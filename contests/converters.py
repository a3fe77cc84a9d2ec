"""URL converters of the contests: a database id is 1 to 18 ASCII digits and a folio is letters,
digits and hyphens, so a huge number or a NUL byte in a URL is a plain 404, never a value the
database refuses (a 500)."""

from django.urls import register_converter

from hub import converters as _ids  # noqa: F401  (registers <dbid:>)


class FolioConverter:
    """A folio such as SPOT-2026-0042: letters, digits and hyphens."""

    regex = "[A-Za-z0-9-]{1,40}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(FolioConverter, "folio")
