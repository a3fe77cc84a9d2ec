"""What each kind of work asks for: its file slots, link and publication details. A
declaration table beside the enums (the models read it too), not a domain decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from contests.enums import CategoryKind

AUDIO = frozenset({"mp3", "wav"})
PDF = frozenset({"pdf"})
IMAGE = frozenset({"jpeg", "png"})
VIDEO = frozenset({"mp4", "mov", "webm"})
WRITING = frozenset({"pdf", "docx"})


@dataclass(frozen=True)
class Slot:
    name: str
    label: str
    accept: frozenset[str]
    required: bool = True

    @property
    def accept_display(self) -> str:
        return ", ".join(sorted(f.upper().replace("JPEG", "JPG") for f in self.accept))

    @property
    def accept_attr(self) -> str:
        """For the file input's ``accept`` attribute: a hint to the browser, never trusted."""
        ext = {"mp3": ".mp3", "wav": ".wav", "pdf": ".pdf", "jpeg": ".jpg,.jpeg", "png": ".png",
               "mp4": ".mp4", "mov": ".mov", "webm": ".webm", "docx": ".docx"}
        return ",".join(ext[f] for f in sorted(self.accept))


@dataclass(frozen=True)
class KindRules:
    slots: tuple[Slot, ...]
    link: str = "none"  # none | optional | required | alternative (link or the first file)
    link_label: str = ""
    needs_publication: bool = False
    max_seconds: int | None = None
    needs_summary: bool = False

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)


_RULES = {
    CategoryKind.SPOT: KindRules(slots=(Slot("audio", _("Audio del spot (MP3 o WAV)"), AUDIO),)),
    CategoryKind.JOURNALISM: KindRules(
        slots=(Slot("pdf", _("Trabajo periodístico (PDF)"), PDF, required=False),),
        link="alternative", link_label=_("Enlace a la pieza publicada"), needs_publication=True),
    CategoryKind.ESSAY: KindRules(slots=(Slot("pdf", _("Ensayo (PDF)"), PDF),)),
    CategoryKind.THESIS: KindRules(slots=(Slot("pdf", _("Tesis (PDF)"), PDF),)),
    CategoryKind.VIDEO: KindRules(
        slots=(Slot("video", _("Video (MP4, MOV o WebM)"), VIDEO, required=False),),
        link="alternative", link_label=_("Enlace al video (YouTube, Vimeo…)")),
    CategoryKind.DRAWING: KindRules(slots=(Slot("image", _("Dibujo (JPG o PNG)"), IMAGE),)),
    CategoryKind.APP: KindRules(
        slots=(Slot("pdf", _("Documentación (PDF, opcional)"), PDF, required=False),),
        link="required", link_label=_("Repositorio o enlace en la tienda de aplicaciones")),
    CategoryKind.WRITTEN: KindRules(
        slots=(Slot("document", _("Texto completo (PDF o DOCX)"), WRITING),), needs_summary=True),
}


def rules_for(category) -> KindRules:
    base = _RULES[category.kind]
    if category.kind == CategoryKind.SPOT:
        return KindRules(slots=base.slots, max_seconds=category.max_audio_seconds or 30)
    return base


def missing_parts(entry, rules: KindRules | None = None) -> list[str]:
    """What the entry still lacks before it can be submitted, in the entrant's words."""
    rules = rules or rules_for(entry.category)
    have = {f.slot for f in entry.files.all()}
    missing = []
    if not entry.title.strip():
        missing.append(str(_("el título de la obra")))
    for index, slot in enumerate(rules.slots):
        if slot.required and slot.name not in have:
            missing.append(str(slot.label))
        if (rules.link == "alternative" and index == 0 and slot.name not in have
                and not entry.link):
            missing.append(str(_("%(file)s o %(link)s") % {"file": slot.label,
                                                            "link": rules.link_label}))
    if rules.link == "required" and not entry.link:
        missing.append(str(rules.link_label))
    if rules.needs_summary and not entry.summary.strip():
        missing.append(str(_("el resumen")))
    if rules.needs_publication and not entry.published_on:
        missing.append(str(_("la fecha de publicación")))
    return missing
