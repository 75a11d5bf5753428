"""The OpenAPI document at /api/schema/ is kept true: it is a valid OpenAPI
3.1 document, and real responses of every endpoint, errors and exports
included, validate against it (openapi-core, which checks a request and its
response against the operation the document gives for them)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec(client):
    document = client.get("/api/schema/").json()
    validate(document)  # a valid OpenAPI document first
    return OpenAPI.from_dict(document)


def check(spec, response):
    """The request was one the document allows, and the response is what it promises."""
    request = DjangoOpenAPIRequest(response.wsgi_request)
    spec.validate_response(request, DjangoOpenAPIResponse(response))
    return response


def test_the_schema_describes_every_api_endpoint(client, db):
    import re

    from archive.interviews import api_urls

    document = client.get("/api/schema/").json()
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", f"/api/{p.pattern}") for p in api_urls.urlpatterns if hasattr(p.pattern, "_route")}
    assert set(document["paths"]) == routes  # every route but the catch-all, which answers a JSON 404


@pytest.mark.parametrize("path", [
    "/api/articles/", "/api/articles/?page=2&page_size=2", "/api/articles/?page=9", "/api/articles/?page_size=0",
    "/api/speakers/", "/api/speakers/?page_size=1", "/api/articles/no-such-thing/",
    "/api/search/?q=鸡蛋", "/api/search/?q=算力&speaker=wang-jian&kind=answer&sort=newest",
    "/api/search/?q=算力&undated=1", "/api/search/?q=算力&from=2024-03-01&to=2024-03-31&page_size=3&page=2",
    "/api/search/?q=鸡蛋+量子计算", "/api/search/?q=鸡蛋&speaker=wang-jian", "/api/search/?q=",
    "/api/search/?q=算力&format=json", "/api/search/?q=算力&format=csv", "/api/search/?q=x&to=soon",
    "/api/search/?q=鸡蛋&page=2", "/api/schema/",
])
def test_real_responses_match_the_schema(client, seeded, spec, path):
    check(spec, client.get(path))


def test_an_article_with_its_turns_matches_the_schema(client, seeded, spec):
    for article in seeded.values():
        check(spec, client.get(f"/api/articles/{article.slug}/"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    q=st.text(alphabet="鸡蛋算力王坚開源ai \"-OR|", max_size=12),
    kind=st.sampled_from(["", "answer", "question"]),
    sort=st.sampled_from(["", "relevance", "newest", "oldest"]),
    page_size=st.integers(1, 100),
)
def test_generated_searches_match_the_schema(client, seeded, spec, q, kind, sort, page_size):
    params = {key: value for key, value in {"q": q, "kind": kind, "sort": sort, "page_size": page_size}.items() if value}
    check(spec, client.get("/api/search/", params))
