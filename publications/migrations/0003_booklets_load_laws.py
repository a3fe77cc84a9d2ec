"""The transparency and data-protection laws the "Los ABC" booklets rest on, as data.

What was checked and what was not (this was written offline):
- The DOF publication dates of the 2015 LGTAIP (4 May 2015), the 2016 LFTAIP (9 May 2016) and
  the 2025 LGTAIP (20 March 2025) agree with the texts' own headings ("publicada en el Diario
  Oficial de la Federación el ..."), seen in copies of those texts. The 2017 LGPDPPSO date
  (26 January 2017) and the 2025 LGPDPPSO date (20 March 2025) come from the brief of this
  work; both 2025 laws were issued by the same decree.
- Dates in force: each law took effect the day after its publication (transitory article
  one of each decree, as commonly reported); the 2025 laws on 21 March 2025. Not re-read in
  the decrees themselves here.
- Which laws the 2025 decree abrogated (its transitory articles): the 2015 LGTAIP and the
  2016 LFTAIP for transparency, the 2017 LGPDPPSO for personal data held by public bodies.
  This is the accepted reading, not checked against the DOF text offline. The 2025 decree
  issued general laws only: no new federal transparency law (LFTAIP) was issued.
- Links: the Cámara de Diputados keeps the law in force at LeyesBiblio/pdf/<SIGLA>.pdf, so
  those links now show the 2025 texts; the abrogated texts are linked to their DOF
  publication (``nota_detalle`` codes written from memory, not opened here). Editors can
  correct any link in *Leyes y cuadernillos → Leyes*.

The loader is idempotent (looked up by name and DOF date) and never deletes on reverse.
"""

import datetime as dt

from django.db import migrations

D = dt.date
CAMARA = "https://www.diputados.gob.mx/LeyesBiblio/pdf/"

LAWS = [
    {"key": "lgtaip-2015", "short_name": "LGTAIP 2015", "kind": "general",
     "name": "Ley General de Transparencia y Acceso a la Información Pública",
     "dof_date": D(2015, 5, 4), "in_force_date": D(2015, 5, 5),
     "url": "https://www.dof.gob.mx/nota_detalle.php?codigo=5391143&fecha=04/05/2015"},
    {"key": "lftaip-2016", "short_name": "LFTAIP 2016", "kind": "federal",
     "name": "Ley Federal de Transparencia y Acceso a la Información Pública",
     "dof_date": D(2016, 5, 9), "in_force_date": D(2016, 5, 10),
     "url": "https://www.dof.gob.mx/nota_detalle.php?codigo=5436283&fecha=09/05/2016"},
    {"key": "lgpdppso-2017", "short_name": "LGPDPPSO 2017", "kind": "general",
     "name": "Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados",
     "dof_date": D(2017, 1, 26), "in_force_date": D(2017, 1, 27),
     "url": "https://www.dof.gob.mx/nota_detalle.php?codigo=5469949&fecha=26/01/2017"},
    {"key": "lgtaip-2025", "short_name": "LGTAIP 2025", "kind": "general",
     "name": "Ley General de Transparencia y Acceso a la Información Pública",
     "dof_date": D(2025, 3, 20), "in_force_date": D(2025, 3, 21),
     "url": CAMARA + "LGTAIP.pdf", "replaces": ["lgtaip-2015", "lftaip-2016"]},
    {"key": "lgpdppso-2025", "short_name": "LGPDPPSO 2025", "kind": "general",
     "name": "Ley General de Protección de Datos Personales en Posesión de Sujetos Obligados",
     "dof_date": D(2025, 3, 20), "in_force_date": D(2025, 3, 21),
     "url": CAMARA + "LGPDPPSO.pdf", "replaces": ["lgpdppso-2017"]},
]


def load(apps, schema_editor):
    Law = apps.get_model("publications", "Law")
    made = {}
    for row in LAWS:
        fields = {k: v for k, v in row.items() if k not in ("key", "replaces", "name", "dof_date")}
        law, _created = Law.objects.get_or_create(name=row["name"], dof_date=row["dof_date"],
                                                  defaults=fields)
        made[row["key"]] = law
    for row in LAWS:
        for old in row.get("replaces", ()):
            made[row["key"]].replaces.add(made[old])


def unload(apps, schema_editor):
    """Going back: remove the laws loaded here that nothing cites, so that the previous state
    (one law per name) can be restored."""
    from django.db.models import ProtectedError

    Law = apps.get_model("publications", "Law")
    for row in reversed(LAWS):
        for law in Law.objects.filter(name=row["name"], dof_date=row["dof_date"]):
            try:
                law.replaces.clear()
                law.delete()
            except ProtectedError:
                continue


class Migration(migrations.Migration):

    dependencies = [("publications", "0002_booklets_law_identity_and_pending_notices")]

    operations = [migrations.RunPython(load, unload)]
