from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    CC_BY = "CC-BY-4.0", _("Creative Commons Atribución 4.0 Internacional (CC BY 4.0)")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Atribución-CompartirIgual 4.0 (CC BY-SA 4.0)")
    CC_BY_NC = "CC-BY-NC-4.0", _("Creative Commons Atribución-NoComercial 4.0 (CC BY-NC 4.0)")
    CC_BY_NC_ND = "CC-BY-NC-ND-4.0", _("Creative Commons Atribución-NoComercial-SinDerivadas "
                                        "4.0 (CC BY-NC-ND 4.0)")

    @classmethod
    def url(cls, value: str) -> str:
        code = value.removeprefix("CC-").removesuffix("-4.0").lower()
        return f"https://creativecommons.org/licenses/{code}/4.0/deed.es"


class ReviewedPublishMixin:
    """Articles and booklet editions: a first version goes live only with the text the
    Comité Editorial approved, whatever the path (the editor, the workflow's last step, an
    issue going live, a script): ``publications.domain.review.check_reviewed``."""

    def publish(self, revision, *args, **kwargs):
        from ..domain.review import check_reviewed

        check_reviewed(self, revision, kwargs.get("user"))
        return super().publish(revision, *args, **kwargs)
