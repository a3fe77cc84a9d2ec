"""Set up a fresh installation; with --demo, add demo accounts and content. Idempotent."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from hub.bootstrap import ensure_site
from network import rules

DEMO_USERS = [
    # username, group, institution acronym, description
    ("coordinacion", rules.COORDINATION, None, "Coordinación de la Comisión"),
    ("comunicacion", rules.COMMUNICATIONS, "INFOEM", "Comunicación social de INFOEM"),
    ("editorial", rules.EDITORIAL, None, "Comité Editorial"),
    ("jurado", rules.JURY, None, "Jurado de concursos"),
]


class Command(BaseCommand):
    help = "Creates the home page and site pages; --demo adds demo accounts and content."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Add demo accounts and content.")

    def handle(self, *args, demo=False, **options):
        ensure_site()
        self.stdout.write("Sitio listo.")
        if demo:
            self._demo()

    @transaction.atomic
    def _demo(self):
        from network.domain.demo import populate
        from network.models import Event, Institution, StaffProfile

        password = os.environ.get("ENLACE_DEMO_PASSWORD", "enlace-demo-2026")
        User = get_user_model()
        for username, group_name, acronym, description in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@enlace.local", "first_name": description},
            )
            if created:
                user.set_password(password)
                user.is_staff = group_name != rules.JURY
                user.save()
            user.groups.add(Group.objects.get(name=group_name))
            if acronym:
                StaffProfile.objects.get_or_create(
                    user=user, defaults={"institution": Institution.objects.get(acronym=acronym)})
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"email": "admin@enlace.local", "is_staff": True,
                                        "is_superuser": True})
        if created:
            admin.set_password(password)
            admin.save()
        if not Event.objects.exists():
            counts = populate()
            self.stdout.write(f"Contenido de demostración: {counts}")
        users = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(self.style.SUCCESS(
            f"Cuentas de demostración (contraseña: {password}): admin, {users}"))
