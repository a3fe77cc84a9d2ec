"""An officer of another institution attacks every id of INFOEM's posts, channels and campaigns
in every admin view Wagtail offers, the chooser, the filters, the editor script and the API."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from wagtail.models import TaskState

from campaigns.models import Campaign, Channel, FeedSource, Post

from .factories import CampaignFactory, make_channel

SECRET_TITLE = "Plan reservado del INFOEM"


@pytest.fixture
def infoem_rows(officer, infoem):
    """A post of INFOEM waiting for Coordinación (so it has a workflow and a task), its channel
    and its campaign."""
    own = make_channel("telegram", infoem, name="Canal reservado INFOEM")
    snt = make_channel("telegram", None, name="Canal del SNT")
    campaign = CampaignFactory(institution=infoem, name="Campaña reservada INFOEM")
    post = Post(title=SECRET_TITLE, text="Texto reservado", author=officer, institution=infoem,
                campaign=campaign)
    from campaigns.posts import create_and_submit

    create_and_submit(officer, post, [own, snt])
    assert post.workflow_in_progress
    feed = FeedSource.objects.create(institution=infoem, name="Canal RSS reservado INFOEM",
                                     url="https://infoem.org.mx/reservado.xml")
    return {"post": post, "channel": own, "campaign": campaign, "feed": feed}


def _fill(pattern: str, values: dict) -> str:
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), path)
    return path.replace("\\.", ".").rstrip("$")


def _object_urls(model, pk, values):
    viewset = model.snippet_viewset
    base = reverse(viewset.get_url_name("list"))
    urls = []
    for pattern in viewset.get_urlpatterns():
        text = str(pattern.pattern)
        if "pk" in text:
            urls.append(base + _fill(text, {**values, "pk": pk}))
    return urls


def _values(post):
    revision = post.latest_revision
    task_state = TaskState.objects.filter(revision__object_id=str(post.pk)).first()
    return {"revision_id": revision.pk, "revision_id_a": "earliest", "revision_id_b": "latest",
            "workflow_state_id": post.current_workflow_state.pk, "task_state_id": task_state.pk,
            "task_id": task_state.task_id, "action_name": "approve"}


@pytest.mark.parametrize("model_key", ["post", "channel", "campaign", "feed"])
def test_every_object_view_refuses_another_institutions_row(other_officer_client, infoem_rows,
                                                            model_key):
    row = infoem_rows[model_key]
    urls = _object_urls(type(row), row.pk, _values(infoem_rows["post"]))
    assert len(urls) >= 6
    for url in urls:
        for method in ("get", "post"):
            response = getattr(other_officer_client, method)(url)
            assert response.status_code in (302, 403, 404), (method, url, response.status_code)
            if response.status_code == 302:
                assert "/login/" in response["Location"] or reverse("wagtailadmin_home") == response[
                    "Location"], (method, url, response["Location"])
            assert SECRET_TITLE not in response.content.decode()
    assert Post.objects.filter(pk=infoem_rows["post"].pk, title=SECRET_TITLE).exists()
    assert infoem_rows["post"].workflow_in_progress  # not approved, not cancelled


def test_the_workflow_history_of_a_post_is_scoped_like_its_edit_view(
        officer_client, other_officer, infoem_rows, client):
    url = reverse("wagtailsnippets_campaigns_post:workflow_history", args=[infoem_rows["post"].pk])
    assert officer_client.get(url).status_code == 200
    client.force_login(other_officer)
    response = client.get(url)
    assert response.status_code in (302, 403, 404)
    assert SECRET_TITLE not in response.content.decode()
    if response.status_code == 302:  # Wagtail's answer to PermissionDenied: back to the dashboard
        assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.parametrize("model", [Post, Channel, Campaign])
def test_the_chooser_lists_and_chooses_only_rows_in_scope(other_officer_client, infoem_rows, model):
    viewset = model.snippet_viewset.chooser_viewset
    row = {Post: infoem_rows["post"], Channel: infoem_rows["channel"],
           Campaign: infoem_rows["campaign"]}[model]
    for name in ("choose", "choose_results"):
        body = other_officer_client.get(reverse(viewset.get_url_name(name))).content.decode()
        assert str(row) not in body
    chosen = other_officer_client.get(reverse(viewset.get_url_name("chosen"), args=[row.pk]))
    assert chosen.status_code == 404
    multiple = other_officer_client.get(reverse(viewset.get_url_name("chosen_multiple")),
                                        {"id": [row.pk]})
    assert str(row) not in multiple.content.decode()


@pytest.mark.parametrize("model", [Post, Channel, Campaign, FeedSource])
def test_the_listing_filters_offer_only_rows_in_scope(other_officer_client, infoem_rows, infoem, model):
    body = other_officer_client.get(reverse(model.snippet_viewset.get_url_name("list"))).content.decode()
    for secret in ("Canal reservado INFOEM", "Campaña reservada INFOEM", SECRET_TITLE,
                   "Canal RSS reservado INFOEM"):
        assert secret not in body
    hours = re.compile(r'<select name="hora".*?</select>', re.S)  # 00:00 to 23:00, not ids
    assert f'value="{infoem.pk}"' not in hours.sub("", body)  # nor another institution


def test_the_editor_script_carries_no_channel_of_another_institution(other_officer_client, infoem_rows):
    body = other_officer_client.get(reverse("wagtailsnippets_campaigns_post:add")).content.decode()
    assert "Canal reservado INFOEM" not in body
    assert "Canal del SNT" in body  # what the officer may target is offered, with its network
    assert 'data-kind="telegram"' in body


def test_the_api_refuses_a_post_on_another_institutions_campaign(other_officer, infoem_rows, itei):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + Token.objects.create(user=other_officer).key)
    own = make_channel("telegram", itei, name="Canal del ITEI")
    response = client.post("/api/posts/", {"text": "Hola", "channels": [own.pk],
                                           "campaign": infoem_rows["campaign"].pk}, format="json")
    assert response.status_code in (400, 403)
    # Said like an unknown channel, in plain Spanish (it read «Clave primaria "7" inválida -
    # objeto no existe.»), and exactly like a campaign that does not exist.
    pk = infoem_rows["campaign"].pk
    assert response.json()["campaign"] == [f"No existe la campaña {pk} o no puede usarla."]
    missing = client.post("/api/posts/", {"text": "Hola", "channels": [own.pk],
                                          "campaign": 987654}, format="json")
    assert missing.json()["campaign"] == ["No existe la campaña 987654 o no puede usarla."]
    assert not Post.objects.filter(author=other_officer).exists()
    assert Campaign.objects.get(pk=infoem_rows["campaign"].pk).posts.count() == 1


def test_an_officer_cannot_file_a_campaign_for_another_institution(officer_client, itei, infoem):
    url = reverse("wagtailsnippets_campaigns_campaign:add")
    data = {"name": "Campaña ajena", "objective": "x", "audience": "", "starts_on": "2027-01-01",
            "ends_on": "2027-02-01", "description": ""}
    for institution in (itei.pk, ""):
        response = officer_client.post(url, {**data, "institution": institution})
        assert response.status_code == 200
        assert not Campaign.objects.filter(name="Campaña ajena").exists()
    response = officer_client.post(url, {**data, "institution": infoem.pk})
    assert Campaign.objects.get(name="Campaña ajena").institution == infoem


@pytest.mark.parametrize("model_key", ["post", "channel", "campaign", "feed"])
def test_bulk_actions_do_not_reach_another_institutions_rows(other_officer_client, infoem_rows,
                                                              model_key):
    row = infoem_rows[model_key]
    url = f"/admin/bulk/campaigns/{type(row)._meta.model_name}/delete/?id={row.pk}"
    for method in ("get", "post"):
        response = getattr(other_officer_client, method)(url)
        assert str(row) not in response.content.decode()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_bulk_delete_still_works_within_the_scope(coordinator_client, infoem_rows):
    campaign = infoem_rows["campaign"]
    url = f"/admin/bulk/campaigns/campaign/delete/?id={campaign.pk}"
    assert campaign.name in coordinator_client.get(url).content.decode()
    coordinator_client.post(url)
    assert not Campaign.objects.filter(pk=campaign.pk).exists()


@pytest.mark.parametrize("model_key", ["post", "channel", "campaign", "feed"])
def test_select_all_in_a_filtered_listing_reaches_only_the_rows_it_shows(
        coordinator_client, infoem_rows, itei, model_key):
    """«Select all in the listing» of a filtered listing, then «Delete», offered every row of
    the model: the filters the listing was open with were dropped."""
    row = infoem_rows[model_key]
    url = f"/admin/bulk/campaigns/{type(row)._meta.model_name}/delete/?id=all"
    assert str(row) in coordinator_client.get(url).content.decode()
    filtered = coordinator_client.get(url + f"&institution={itei.pk}")
    assert str(row) not in filtered.content.decode()  # none left: Wagtail's «not found»
