"""The name people see for an uploaded file: never the client's word for what it is."""

from __future__ import annotations

import re
import unicodedata

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")
_SPACES = re.compile(r"\s+")
# Extensions of file types people send or that run: stripped from the end of a name one after
# the other, so "spot.mp3.exe" is shown as "spot.mp3" (the type found in the content), never
# as an audio file that is really something else.
_FILE_TYPES = frozenset(
    "mp3 wav wave aif aiff flac ogg m4a aac wma pdf doc docx odt rtf txt jpg jpeg png gif bmp "
    "tif tiff webp heic svg mp4 mov m4v avi mkv webm wmv zip rar 7z gz tar exe com bat cmd scr "
    "msi js vbs ps1 sh jar apk app dmg lnk html htm hta php py".split())
_MAX_NAME = 80


def safe_display_name(original_name: str, extension: str) -> str:
    """A name fit to show and to offer as a download, from an untrusted client filename.

    Keeps the base name (after both ``/`` and ``\\``), letters (accented ones included),
    digits, spaces, ``.``, ``-`` and ``_``; drops control and formatting characters (NUL,
    right-to-left overrides) and the client's extension (with any file-type extensions
    before it, as in ``spot.mp3.exe``), which is replaced by the canonical ``extension`` of
    the type found in the content. At most 80 characters; ``archivo`` + extension when nothing is left."""
    name = unicodedata.normalize("NFC", str(original_name or ""))
    name = "".join(" " if ch in "\t\n\r\x0b\x0c" or unicodedata.category(ch) == "Zs" else ch
                   for ch in name)  # tabs, newlines and odd spaces become plain spaces
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))
    name = re.split(r"[/\\]", name)[-1].strip()
    name = _EXTENSION.sub("", name)
    while (match := _EXTENSION.search(name)) and match.group()[1:].lower() in _FILE_TYPES:
        name = name[:match.start()]
    name = "".join(ch for ch in name
                   if ch in " .-_" or unicodedata.category(ch)[0] == "L"
                   or unicodedata.category(ch) == "Nd")
    name = _SPACES.sub(" ", name).strip(" .-_")
    name = name[:_MAX_NAME - len(extension)].rstrip(" .-_")
    return f"{name or 'archivo'}{extension}"
