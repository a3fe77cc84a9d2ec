"""Mail files and private files are readable by their owner only."""

import stat

from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_mail_files_are_written_for_the_owner_only(settings, tmp_path):
    settings.EMAIL_BACKEND = "hub.mail.PrivateFileEmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    mail.send_mail("Confirme su correo", "https://enlace.example/confirmar/secreto/", None,
                   ["ana@example.org"])
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    assert _mode(files[0]) == 0o600
    assert _mode(tmp_path / "mail") == 0o700


def test_private_storage_writes_files_for_the_owner_only(settings, tmp_path):
    from hub.settings import base  # what production uses (the test settings use a temp dir)

    private = base._private_storage
    assert private["BACKEND"].endswith("FileSystemStorage")  # no bucket configured here
    storage = storages.create_storage({**private, "OPTIONS": {**private["OPTIONS"],
                                                              "location": str(tmp_path)}})
    name = storage.save("convocatoria/obra.pdf", ContentFile(b"%PDF-1.4"))
    path = tmp_path / name
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
