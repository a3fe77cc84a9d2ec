"""Grow a ``bootstrap --demo`` database by N rows of each model that grows over months.

Used by ``bench/admin.py`` (signed-in screens at two sizes); runnable alone:

    DJANGO_SETTINGS_MODULE=hub.settings.dev DATABASE_URL=... python bench/_admin_data.py 10000

Rows are bulk-created (the domain functions would take hours at 10,000) and spread over the
institutions; rows already added are counted, so a second run with a larger N adds the rest.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from itertools import cycle
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MARK = "[escala]"


def _clone(obj, **changes):
    """A copy of a saved row, unsaved, with ``changes`` applied."""
    copy = type(obj).objects.get(pk=obj.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    for key, value in changes.items():
        setattr(copy, key, value)
    return copy


def grow(n: int) -> dict[str, int]:  # noqa: C901, PLR0915 (one generator, read top to bottom)
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.utils import timezone
    from wagtail.documents.models import Document
    from wagtail.images.models import Image
    from wagtail.models import ModelLogEntry, PageLogEntry

    from campaigns.enums import AttemptOutcome, ChannelKind, DeliveryPurpose, DeliveryState
    from campaigns.models import (
        AmplificationClick,
        AmplificationRequest,
        Campaign,
        Channel,
        Delivery,
        DeliveryAttempt,
        MetricSnapshot,
        Post,
    )
    from contests.models import Assignment, Entry, EntryFile, Review
    from hub.models import QuarterlyReport
    from network.domain.demo import populate
    from network.models import Event, Institution, Registration, Roadmap, StaffProfile

    now = timezone.now()
    made: dict[str, int] = {}
    institutions = list(Institution.objects.current().order_by("pk"))
    officer = StaffProfile.objects.select_related("user", "institution").get(user__username="comunicacion")
    home_inst = officer.institution
    coordinator = User.objects.get(username="coordinacion")

    def todo(model, **filters) -> int:
        return max(0, n - model.objects.filter(**filters).count())

    with transaction.atomic():
        # Network: contacts, events, agreements (the directory's own generator).
        from network.models import Agreement, Person

        extra = {"contacts": todo(Person), "events": todo(Event), "agreements": todo(Agreement)}
        made.update(populate(**extra, allies=0))

        # Channels: a Telegram and an X channel for the officer's institution, the SNT's and
        # four more institutions (a network grows in posts, not in channels).
        channels = list(Channel.objects.filter(name__startswith=MARK))
        if not channels:
            owners = [home_inst, None] + [i for i in institutions if i != home_inst][:4]
            for inst in owners:
                for kind in (ChannelKind.TELEGRAM, ChannelKind.X):
                    channels.append(
                        Channel(
                            name=f"{MARK} {kind.label} {inst.slug if inst else 'snt'}",
                            kind=kind,
                            institution=inst,
                            chat_id="@escala" if kind == ChannelKind.TELEGRAM else "",
                            handle="escala",
                        )
                    )
            Channel.objects.bulk_create(channels)
            channels = list(Channel.objects.filter(name__startswith=MARK))
        by_inst = {}
        for ch in channels:
            by_inst.setdefault(ch.institution_id, []).append(ch)

        k = todo(Campaign, name__startswith=MARK)
        campaigns = [
            Campaign(
                name=f"{MARK} Campaña {i}",
                objective="Difundir el derecho de acceso.",
                institution=home_inst if i % 3 == 0 else institutions[i % len(institutions)],
                starts_on=now.date() - dt.timedelta(days=i % 400),
                ends_on=now.date() + dt.timedelta(days=30 - i % 400),
            )
            for i in range(k)
        ]
        Campaign.objects.bulk_create(campaigns, batch_size=1000)
        made["campaigns"] = k
        campaign_ids = list(Campaign.objects.filter(name__startswith=MARK).values_list("pk", flat=True))

        # Posts: a third the officer's institution, a third the SNT's, the rest elsewhere;
        # every delivery state, attempt logs, metric snapshots of X deliveries.
        k = todo(Post, title__startswith=MARK)
        owners = [home_inst.pk, None] + [c for c in by_inst if c not in (home_inst.pk, None)]
        authors = {home_inst.pk: officer.user_id}
        posts = []
        for i in range(k):
            inst_id = owners[i % len(owners)]
            publish_at = now - dt.timedelta(hours=i % 5000) + dt.timedelta(days=2 if i % 7 == 0 else 0)
            posts.append(
                Post(
                    title=f"{MARK} Publicación {i}",
                    text=f"Texto de la publicación {i} #SNT",
                    link="https://example.org/nota",
                    publish_at=publish_at,
                    institution_id=inst_id,
                    campaign_id=campaign_ids[i % len(campaign_ids)] if i % 2 and campaign_ids else None,
                    author_id=authors.get(inst_id, coordinator.pk),
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=publish_at,
                    last_published_at=publish_at,
                )
            )
        Post.objects.bulk_create(posts, batch_size=1000)
        made["posts"] = k
        new_posts = [p for p in Post.objects.filter(title__startswith=MARK).filter(deliveries__isnull=True)]
        states = cycle(
            [
                DeliveryState.SENT,
                DeliveryState.SENT,
                DeliveryState.PENDING,
                DeliveryState.FAILED,
                DeliveryState.UNCERTAIN,
                DeliveryState.CANCELLED,
                DeliveryState.SENDING,
            ]
        )
        deliveries = []
        for post in new_posts:
            for ch in by_inst.get(post.institution_id, []):
                state = next(states)
                done = state in (DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.CANCELLED)
                deliveries.append(
                    Delivery(
                        post=post,
                        channel=ch,
                        state=state,
                        purpose=DeliveryPurpose.PUBLICATION,
                        due_at=post.publish_at,
                        next_attempt_at=post.publish_at,
                        attempts=1 + post.pk % 3,
                        finished_at=post.publish_at if done else None,
                        sent_text=post.text,
                        external_id=str(post.pk) if state == DeliveryState.SENT else "",
                        external_url=(
                            f"https://x.com/escala/status/{post.pk}"
                            if ch.kind == ChannelKind.X
                            else f"https://t.me/escala/{post.pk}"
                        )
                        if state == DeliveryState.SENT
                        else "",
                        error="La red rechazó el mensaje." if state == DeliveryState.FAILED else "",
                        likes=post.pk % 11,
                        reposts=post.pk % 5,
                        replies=post.pk % 3,
                        impressions=post.pk % 997,
                        metrics_at=now if state == DeliveryState.SENT else None,
                    )
                )
        Delivery.objects.bulk_create(deliveries, batch_size=2000)
        made["deliveries"] = len(deliveries)
        fresh = list(
            Delivery.objects.filter(post__in=new_posts).values_list("pk", "state", "due_at", "channel__kind")
        )
        attempts, snaps = [], []
        for pk, state, due, kind in fresh:
            attempts.append(
                DeliveryAttempt(delivery_id=pk, at=due, outcome=AttemptOutcome.RETRY, detail="HTTP 503")
            )
            outcome = {
                DeliveryState.SENT: AttemptOutcome.SENT,
                DeliveryState.FAILED: AttemptOutcome.FAILED,
                DeliveryState.UNCERTAIN: AttemptOutcome.UNCERTAIN,
            }.get(state)
            if outcome:
                attempts.append(
                    DeliveryAttempt(
                        delivery_id=pk, at=due + dt.timedelta(minutes=1), outcome=outcome, detail=""
                    )
                )
            if state == DeliveryState.SENT and kind == ChannelKind.X:
                for day in range(2):
                    snaps.append(
                        MetricSnapshot(
                            delivery_id=pk,
                            taken_at=due + dt.timedelta(days=day),
                            likes=day + pk % 7,
                            reposts=pk % 3,
                            replies=1,
                            impressions=100 * (day + 1),
                        )
                    )
        DeliveryAttempt.objects.bulk_create(attempts, batch_size=2000)
        MetricSnapshot.objects.bulk_create(snaps, batch_size=2000)
        made["attempts"], made["snapshots"] = len(attempts), len(snaps)
        sent_posts = [p for p in new_posts if p.pk % 2 == 0]
        AmplificationRequest.objects.bulk_create(
            [
                AmplificationRequest(post=p, created_at=p.publish_at, emails_sent=30, telegram_sent=True)
                for p in sent_posts
            ],
            batch_size=2000,
        )
        made["amplification"] = len(sent_posts)
        reqs = list(
            AmplificationRequest.objects.filter(post__in=sent_posts, clicks__isnull=True).values_list(
                "pk", "post_id"
            )
        )
        first_delivery = dict(
            Delivery.objects.filter(post__in=sent_posts, channel__kind=ChannelKind.X).values_list(
                "post_id", "pk"
            )
        )
        clicks = [
            AmplificationClick(
                request_id=r,
                delivery_id=first_delivery[p],
                institution=institutions[(r + j) % len(institutions)],
                action="like",
            )
            for r, p in reqs
            if p in first_delivery
            for j in range(2)
        ]
        AmplificationClick.objects.bulk_create(clicks, batch_size=2000, ignore_conflicts=True)
        made["clicks"] = len(clicks)

        # Contests: entries of the open demo call with a file each, assigned to the demo juror,
        # half of them scored; the demo entrant owns a hundredth of them.
        template = Entry.objects.order_by("pk").first()
        k = todo(Entry) if template else 0
        if k:
            tfile = EntryFile.objects.filter(entry=template).first()
            entrants = [
                User(
                    username=f"escala-{uuid.uuid4().hex[:12]}", email=f"e{i}@escala.example.org", password="!"
                )
                for i in range(k)
            ]
            User.objects.bulk_create(entrants, batch_size=2000)
            entrant = User.objects.get(username="participante")
            entries = []
            for i, user in enumerate(entrants):
                owner = entrant if i % 100 == 0 else user
                entries.append(
                    _clone(
                        template,
                        public_id=uuid.uuid4(),
                        owner=owner,
                        folio=f"ESC-{uuid.uuid4().hex[:10]}",
                        title=f"{MARK} Obra {i}",
                        client_token="",
                    )
                )
            Entry.objects.bulk_create(entries, batch_size=2000)
            files = [_clone(tfile, entry=e) for e in entries] if tfile else []
            EntryFile.objects.bulk_create(files, batch_size=2000)
            juror = Assignment.objects.first().juror if Assignment.objects.exists() else None
            if juror:
                Assignment.objects.bulk_create(
                    [Assignment(entry=e, juror=juror) for e in entries], batch_size=2000
                )
                criteria = (
                    list(template.category.criteria.values_list("pk", flat=True))
                    if hasattr(template.category, "criteria")
                    else []
                )
                Review.objects.bulk_create(
                    [
                        Review(entry=e, juror=juror, scores={str(c): 7 for c in criteria})
                        for e in entries[::2]
                    ],
                    batch_size=2000,
                )
            made["entries"] = k

        # Registrations to events, quarterly statistics, roadmaps.
        reg = Registration.objects.order_by("pk").first()
        k = todo(Registration)
        if reg and k:
            events = list(Event.objects.order_by("-pk").values_list("pk", flat=True)[: max(1, n // 10)])
            regs = []
            for i in range(k):
                regs.append(
                    _clone(
                        reg,
                        event_id=events[i % len(events)],
                        email=f"r{i}-{uuid.uuid4().hex[:6]}@escala.example.org",
                    )
                )
            Registration.objects.bulk_create(regs, batch_size=2000, ignore_conflicts=True)
            made["registrations"] = k
        qr = QuarterlyReport.objects.order_by("pk").first()
        k = todo(QuarterlyReport)
        if qr and k:
            taken = set(QuarterlyReport.objects.values_list("institution_id", "year", "quarter"))
            rows, i = [], 0
            while len(rows) < k:
                key = (
                    institutions[i % len(institutions)].pk,
                    2025 - (i // (len(institutions) * 4)),
                    1 + (i // len(institutions)) % 4,
                )
                i += 1
                if key not in taken:
                    rows.append(_clone(qr, institution_id=key[0], year=key[1], quarter=key[2]))
            QuarterlyReport.objects.bulk_create(rows, batch_size=2000)
            made["statistics"] = k
        rm = Roadmap.objects.order_by("pk").first()
        k = todo(Roadmap)
        if rm and k:
            free = list(Agreement.objects.filter(roadmap__isnull=True).values_list("pk", flat=True)[:k])
            Roadmap.objects.bulk_create(
                [
                    _clone(
                        rm,
                        slug=f"escala-{uuid.uuid4().hex[:10]}",
                        agreement_id=a,
                        municipality=f"Municipio {i}",
                    )
                    for i, a in enumerate(free)
                ],
                batch_size=2000,
            )
            made["roadmaps"] = k

        # Documents, images (the same file on disk), log entries.
        img = Image.objects.order_by("pk").first()
        k = todo(Image)
        if img and k:
            Image.objects.bulk_create(
                [_clone(img, title=f"{MARK} Imagen {i}", file_hash="") for i in range(k)], batch_size=2000
            )
            made["images"] = k
        k = todo(Document)
        if k and img:
            Document.objects.bulk_create(
                [
                    Document(
                        title=f"{MARK} Documento {i}",
                        file=img.file.name,
                        collection_id=img.collection_id,
                        file_size=1000,
                    )
                    for i in range(k)
                ],
                batch_size=2000,
            )
            made["documents"] = k
        from django.contrib.contenttypes.models import ContentType

        ct = ContentType.objects.get_for_model(Post)
        some_post = Post.objects.order_by("pk").first()
        k = todo(ModelLogEntry)
        if some_post and k:
            ModelLogEntry.objects.bulk_create(
                [
                    ModelLogEntry(
                        content_type=ct,
                        label=some_post.title,
                        action="wagtail.edit",
                        object_id=str(some_post.pk),
                        user=coordinator,
                        timestamp=now - dt.timedelta(minutes=i),
                    )
                    for i in range(k)
                ],
                batch_size=2000,
            )
            made["model_log"] = k
        ple = PageLogEntry.objects.order_by("pk").first()
        k = todo(PageLogEntry)
        if ple and k:
            PageLogEntry.objects.bulk_create(
                [_clone(ple, timestamp=now - dt.timedelta(minutes=i), uuid=uuid.uuid4()) for i in range(k)],
                batch_size=2000,
            )
            made["page_log"] = k
    return made


if __name__ == "__main__":
    import django

    django.setup()
    print(grow(int(sys.argv[1])))
