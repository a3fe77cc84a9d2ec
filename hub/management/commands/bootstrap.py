"""Set up a fresh installation; with --demo, add demo accounts and content. Idempotent."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hub.bootstrap import adopt_base_url, ensure_site
from network import rules

DEMO_USERS = [
    # username, group, institution acronym, description
    ("coordinacion", rules.COORDINATION, None, "Coordinación de la Comisión"),
    ("comunicacion", rules.COMMUNICATIONS, "INFOEM", "Comunicación social de INFOEM"),
    ("editorial", rules.EDITORIAL, None, "Comité Editorial"),
    ("jurado", rules.JURY, None, "Jurado de concursos"),
]


# Demo accounts have a published password: only ever on a developer's machine or in tests.
DEMO_SETTINGS = ("hub.settings.dev", "hub.settings.test")


def demo_allowed() -> bool:
    return settings.SETTINGS_MODULE in DEMO_SETTINGS


class Command(BaseCommand):
    help = "Creates the home page and site pages; --demo adds demo accounts and content."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="Add demo accounts and content.")

    def handle(self, *args, demo=False, **options):
        if demo and not demo_allowed():
            raise CommandError(
                "Los datos de demostración crean cuentas con una contraseña publicada: solo se "
                "permiten en desarrollo (DJANGO_SETTINGS_MODULE=hub.settings.dev). No se creó "
                "nada. En producción cree las cuentas con «manage.py createsuperuser»."
            )
        ensure_site()
        site = adopt_base_url()
        if site is not None:
            self.stdout.write(f"Dirección del sitio: {site.root_url}")
        self.stdout.write("Sitio listo.")
        if demo:
            self._demo()

    def _demo_accounts(self, password: str) -> None:
        """One account per role, and the superuser. Each has a first name and a last name:
        Wagtail's account page requires both, and without them a demo user could not save a
        language, a theme or a password there. The full name reads as the description."""
        from network.models import Institution, StaffProfile

        User = get_user_model()
        for username, group_name, acronym, description in [
                *DEMO_USERS, ("admin", None, None, "Administración de Enlace")]:
            first, last = description.split(" ", 1)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@enlace.local", "first_name": first,
                          "last_name": last})
            if created:
                user.set_password(password)
                user.is_staff = group_name != rules.JURY
                user.is_superuser = username == "admin"
                user.save()
            elif not user.last_name and user.first_name in (description, ""):
                # A demo database made before the names were split.
                user.first_name, user.last_name = first, last
                user.save(update_fields=["first_name", "last_name"])
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            if acronym:
                StaffProfile.objects.get_or_create(
                    user=user, defaults={"institution": Institution.objects.get(acronym=acronym)})

    @transaction.atomic
    def _demo(self):
        from network.domain.demo import populate
        from network.models import Event

        password = os.environ.get("ENLACE_DEMO_PASSWORD", "enlace-demo-2026")
        self._demo_accounts(password)
        if not Event.objects.exists():
            counts = populate()
            self.stdout.write(f"Contenido de demostración: {counts}")
        self._demo_participation()
        self._demo_channels()
        self._demo_contest(password)
        self._demo_magazine(password)
        self._demo_booklets()
        self._demo_roadmaps()
        self._demo_statistics()
        self._demo_agendas_and_practices()
        self._demo_quarterly_report()  # last: its figures come from everything above
        users = ", ".join(u[0] for u in DEMO_USERS)
        self.stdout.write(self.style.SUCCESS(
            f"Cuentas de demostración (contraseña: {password}): admin, {users}"))

    def _demo_roadmaps(self):
        """A municipality's roadmap with milestones done, in progress and one overdue."""
        from network.domain.demo_roadmaps import build_roadmap_demo

        roadmap = build_roadmap_demo()
        if roadmap is not None:
            self.stdout.write(f"Hoja de ruta de demostración: {roadmap.get_absolute_url()}")

    def _demo_quarterly_report(self):
        """The national report draft of the last quarter, to review in the admin."""
        from hub.dashboard.demo import build_report_demo

        found = build_report_demo()
        if found and found[1]:
            self.stdout.write(f"Informe trimestral de demostración: {found[0].title}")

    def _demo_statistics(self):
        """Two quarters of statistics for every current institution (hub.statistics)."""
        from hub.statistics.demo import build_statistics_demo

        self.stdout.write(f"Estadísticas trimestrales de demostración: {build_statistics_demo()}")

    def _demo_agendas_and_practices(self):
        """Joint agendas of two regions and the library of good practices."""
        from hub.models import HomePage
        from hub.practices import build_practices_demo
        from network.domain.demo_agendas import build_agenda_demo

        agendas = build_agenda_demo()
        build_practices_demo(HomePage.objects.first())
        self.stdout.write(f"Agendas regionales de demostración: {agendas} nuevas")

    def _demo_participation(self):
        """Past participation events with attendance and survey answers; one upcoming with
        registration open (network.domain.demo_participation)."""
        from network.domain.demo_participation import build_participation_demo

        created = build_participation_demo()
        if created:
            self.stdout.write(f"Eventos de participación de demostración: {created}")

    def _demo_booklets(self):
        """The "Los ABC" booklet in two editions, before and after the 2025 law."""
        from hub.models import HomePage
        from publications.demo import build_booklet_demo

        booklet = build_booklet_demo(HomePage.objects.first())
        self.stdout.write(f"Cuadernillo de demostración: {booklet.title}")

    def _demo_contest(self, password: str):
        """An open call with a juror and an entrant who can sign in on the public site, and the
        previous edition in its jury phase, with entries for that juror to score blind."""
        from allauth.account.models import EmailAddress
        from django.utils import timezone

        from contests.demo import REVIEW_EDITION, create_call, create_call_in_review
        from contests.models import CategoryJuror, ContestCallPage, EntrantProfile
        from hub.models import HomePage

        call = ContestCallPage.objects.exclude(edition=REVIEW_EDITION).first()
        if call is None:
            call = create_call(HomePage.objects.first())
            self.stdout.write(f"Convocatoria de demostración: {call.title}")
        User = get_user_model()
        entrant, created = User.objects.get_or_create(
            username="participante", defaults={"email": "participante@enlace.local"})
        if created:
            entrant.set_password(password)
            entrant.save()
        EntrantProfile.objects.get_or_create(user=entrant, defaults={
            "full_name": "Ana Participante Demo", "state": "MEX", "school": "UAEMéx",
            "education_level": "licenciatura", "birth_date": "2003-05-04",
            "privacy_accepted_at": timezone.now()})
        juror = User.objects.get(username="jurado")
        for user in (entrant, juror):
            EmailAddress.objects.get_or_create(user=user, email=user.email,
                                               defaults={"verified": True, "primary": True})
        for category in call.categories.all():
            CategoryJuror.objects.get_or_create(category=category, juror=juror)
        if not ContestCallPage.objects.filter(edition=REVIEW_EDITION).exists():
            review = create_call_in_review(HomePage.objects.first(), juror)
            self.stdout.write(f"Convocatoria en evaluación: {review.title} (obras asignadas a jurado)")
        self.stdout.write("Concursos: entre en /concursos/ como participante@enlace.local o "
                          "jurado@enlace.local (misma contraseña).")

    def _demo_magazine(self, password: str):
        """The magazine: one issue with three articles, taken through the Comité Editorial's
        review by two demo members who can sign in (publications.demo)."""
        from hub.models import HomePage
        from publications.demo import build_magazine_demo, demo_reviewers, run_demo_workflow

        reviewers = demo_reviewers(password)
        magazine = build_magazine_demo(
            HomePage.objects.first(),
            approve=lambda articles: run_demo_workflow(articles, reviewers=reviewers))
        self.stdout.write(f"Revista de demostración: {magazine.url}")

    def _demo_channels(self):
        """Demo channels, only when the networks are the simulated ones on this machine."""
        from django.conf import settings

        from campaigns.enums import ChannelHealth
        from campaigns.models import Campaign, Channel
        from network.models import Institution

        local = ("http://127.0.0.1", "http://localhost")
        if not (settings.TELEGRAM_API_BASE_URL.startswith(local)
                and settings.X_API_BASE_URL.startswith(local)) or Channel.objects.exists():
            return
        infoem = Institution.objects.get(acronym="INFOEM")
        telegram = {"bot_token": "4242:demo"}
        x = {"consumer_key": "ck-demo", "consumer_secret": "demo", "access_token": "demo",
             "access_token_secret": "demo"}
        for name, kind, institution, chat_id, credentials, group in [
            ("Telegram INFOEM (simulado)", "telegram", infoem, "@infoem_demo", telegram, False),
            ("X INFOEM (simulado)", "x", infoem, "", x, False),
            ("Telegram SNT (simulado)", "telegram", None, "@snt_demo", telegram, False),
            ("X SNT (simulado)", "x", None, "", x, False),
            ("Grupo de la Red de Vinculación (simulado)", "telegram", None, "-1001234567890",
             telegram, True),
        ]:
            channel = Channel(name=name, kind=kind, institution=institution, chat_id=chat_id,
                              is_network_group=group, health=ChannelHealth.OK,
                              handle="@SNT_mx" if kind == "x" else "@snt_bot")
            channel.set_credentials(credentials)
            channel.save()
        from django.utils import timezone

        today = timezone.localdate()
        Campaign.objects.get_or_create(
            name="Día Internacional del Derecho a Saber", defaults={
                "objective": "Difundir el derecho de acceso a la información entre jóvenes.",
                "audience": "Estudiantes de 15 a 29 años", "starts_on": today,
                "ends_on": today.replace(year=today.year + 1)})
        self.stdout.write("Canales de demostración conectados a las redes simuladas.")
        self._demo_posts()

    def _demo_posts(self):
        """INFOEM's posting slots and a week of its posts: the calendar, the «Programadas»
        panel and the queue have something to show. Made as the demo officer, through the same
        path as the editor and the API (``campaigns.posts.create_and_submit``)."""
        import datetime as dt

        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from campaigns.models import Channel, Post, PostingSlot
        from campaigns.posts import create_and_submit
        from network.models import Institution

        officer = get_user_model().objects.filter(username="comunicacion").first()
        infoem = Institution.objects.get(acronym="INFOEM")
        own = list(Channel.objects.filter(institution=infoem).order_by("kind"))
        if officer is None or len(own) < 2 or Post.objects.exists():
            return
        for channel in own:
            for weekday in range(5):
                for hour in (10, 17):
                    PostingSlot.objects.get_or_create(channel=channel, weekday=weekday,
                                                      time=dt.time(hour))
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        telegram, x = own[0], own[1]
        for days, hour, title, text, channels in [
            (1, 10, "Derecho a saber", "¿Sabía que cualquier persona puede pedir información "
             "pública sin decir para qué? Le explicamos cómo.", [telegram, x]),
            (2, 17, "Protección de datos en la escuela", "Sus datos personales son suyos. "
             "Conozca sus derechos ARCO.\n---\nAcceso, rectificación, cancelación y oposición: "
             "así se ejercen ante cualquier institución.", [x]),
            (4, 10, "Convocatoria del concurso de spots", "Ya está abierta la convocatoria del "
             "concurso nacional de spots de radio. ¡Participe!", [telegram, x]),
        ]:
            when = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=tz)
            post = Post(title=title, text=text, publish_at=when, institution=infoem,
                        author=officer)
            create_and_submit(officer, post, channels)
        self.stdout.write("Publicaciones de demostración programadas para esta semana.")
