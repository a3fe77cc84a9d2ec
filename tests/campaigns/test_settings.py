"""The system hashtag is a setting of the campaigns (moved from hub's site settings)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Site

from campaigns.models import CampaignSettings
from campaigns.preferences import system_hashtag

BEFORE = [("campaigns", "0002_roles_and_workflow"), ("hub", "0003_shareable_pages")]
AFTER = [("campaigns", "0003_campaign_settings"), ("hub", "0004_system_hashtag_moves_to_campaigns")]


def test_changing_the_setting_changes_what_is_appended_at_once(site):
    site = Site.objects.get(is_default_site=True)
    assert system_hashtag() == "#SNT"
    settings = CampaignSettings.for_site(site)
    settings.system_hashtag = "#RedSNT"
    settings.save()
    assert system_hashtag() == "#RedSNT"  # the cached value is dropped on save


@pytest.mark.parametrize("typed, kept", [("SNT", "#SNT"), ("  #Red_SNT ", "#Red_SNT")])
def test_the_hashtag_gets_its_sign_and_loses_spaces(site, typed, kept):
    settings = CampaignSettings(site=Site.objects.get(is_default_site=True), system_hashtag=typed)
    settings.full_clean()
    assert settings.system_hashtag == kept


def test_a_hashtag_with_spaces_or_symbols_is_refused_in_spanish(site):
    settings = CampaignSettings(site=Site.objects.get(is_default_site=True), system_hashtag="#S N-T")
    with pytest.raises(ValidationError) as error:
        settings.full_clean()
    assert "solo letras, números o guion bajo" in str(error.value)


def test_coordination_may_change_the_setting_and_officers_may_not(coordinator, officer):
    assert coordinator.has_perm("campaigns.change_campaignsettings")
    assert not officer.has_perm("campaigns.change_campaignsettings")


@pytest.mark.skipif(connection.vendor != "sqlite", reason=(
    "a round trip through most of the project's migrations takes about a minute; its data step "
    "is the same ORM code on every database, so it runs in the SQLite pass only"))
@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_the_hashtag_from_the_site_settings(reference_data):
    from hub.bootstrap import ensure_site

    ensure_site()
    site = Site.objects.get(is_default_site=True)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old.get_model("hub", "SiteSettings").objects.update_or_create(
        site_id=site.pk, defaults={"system_hashtag": "#RedDeTransparencia"})
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
        assert CampaignSettings.objects.get(site_id=site.pk).system_hashtag == "#RedDeTransparencia"
    finally:
        # Leave the schema as every other test expects it: all apps at their latest migration.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
