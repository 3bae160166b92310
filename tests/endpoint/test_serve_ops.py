"""Operations: liveness, readiness, metrics and the structured access log."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.support.servers import Server

pytestmark = pytest.mark.e2e


def test_health(server: Server) -> None:
    with server.client() as client:
        response = client.get("/health")
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_ready(server: Server) -> None:
    with server.client() as client:
        body = client.get("/ready").json()
    assert body["ready"] is True
    assert body["dataset"]
    assert body["workers_idle"] >= 1


def test_metrics_count_queries_and_errors(server: Server) -> None:
    with server.client() as client:
        client.get("/sparql", params={"query": "ASK {}"})
        client.get("/sparql", params={"query": "ASK {"})
        text = client.get("/metrics").text
    assert 'kb_sparql_queries_total{form="ASK",outcome="ok"}' in text
    assert 'kb_errors_total{code="query_syntax"}' in text
    assert "kb_sparql_query_duration_seconds_bucket" in text
    assert "kb_sparql_timeouts_total" in text
    assert "kb_sparql_truncated_total" in text
    assert 'kb_http_requests_total{route="/sparql",status="200"}' in text


def test_access_log_has_request_id_and_query_time(server: Server) -> None:
    with server.client() as client:
        response = client.get(
            "/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"X-Request-ID": "trace-42"}
        )
    assert response.headers["x-request-id"] == "trace-42"
    mine: list[dict] = []
    # The server process writes its log line after the response: wait for it, bounded.
    for _ in range(100):
        records = [
            json.loads(line.split(" ", 1)[1])
            for line in server.log_text().splitlines()
            if line.startswith("kb.endpoint.access ")
        ]
        mine = [r for r in records if r["request_id"] == "trace-42"]
        if mine:
            break
        time.sleep(0.05)
    assert mine and mine[0]["status"] == 200 and "query_ms" in mine[0]


def test_request_id_is_generated(server: Server) -> None:
    with server.client() as client:
        response = client.get("/health", headers={"X-Request-ID": "not ok!"})
    assert len(response.headers["x-request-id"]) == 32
