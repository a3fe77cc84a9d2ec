"""Admin: reading statistics, for the Comité Editorial and Coordinación."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from ..views import stats as views


@hooks.register("register_admin_urls")
def register_stats_urls():
    return [
        path("publicaciones/estadisticas/", views.report, name="publications_reading_stats"),
        path("publicaciones/estadisticas/<slug:what>.csv", views.report_csv,
             name="publications_reading_stats_csv"),
    ]


class ReadingStatsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("publications.see_reading_stats")


@hooks.register("register_admin_menu_item")
def reading_stats_menu_item():
    return ReadingStatsMenuItem(_("Lecturas de publicaciones"),
                                reverse("publications_reading_stats"), icon_name="table",
                                order=330)
