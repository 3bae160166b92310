"""Issue 12.4: one client cannot hold every worker. With as many slow queries as
workers from one client, the one past its share waits in that client's queue
(and one past the queue gets 429 with Retry-After), while another client's
query and an explorer page are answered meanwhile."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.support.servers import KnowledgeGraph, metric, running_server

pytestmark = pytest.mark.e2e

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ORDINARY = "SELECT (COUNT(*) AS ?n) WHERE { ?f a <https://w3id.org/mgi/def#Finding> }"
JSON = {"Accept": "application/json"}
ATTACKER = {**JSON, "X-Forwarded-For": "203.0.113.7"}
OTHER = {**JSON, "X-Forwarded-For": "198.51.100.20"}


def test_a_client_past_its_share_gets_429_and_others_are_answered(
    knowledge_graph: KnowledgeGraph, tmp_path: Path
) -> None:
    with running_server(knowledge_graph.root, tmp_path, workers=2, client_queue=1) as server:

        def slow(_: int) -> httpx.Response:
            with server.client() as client:
                data = {"query": SLOW, "timeout": "6"}
                return client.post("/sparql", data=data, headers=ATTACKER)

        with ThreadPoolExecutor(max_workers=3) as pool:
            attacks = [pool.submit(slow, i) for i in range(3)]
            time.sleep(0.5)  # all have arrived: one runs, one waits, one was turned away
            # Answered long before the slow query's deadline: a client that waited
            # for a worker would time out here.
            with httpx.Client(base_url=server.base, timeout=3) as other:
                answer = other.get("/sparql", params={"query": ORDINARY}, headers=OTHER)
                page = other.get("/explore/institutions", headers={"X-Forwarded-For": "192.0.2.9"})
            statuses = sorted(attack.result().status_code for attack in attacks)
        assert answer.status_code == 200
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 0
        assert page.status_code == 200
        # the waiting one spent its deadline behind the attacker's own first query
        assert statuses[0] == 429 and statuses[1] in (503, 504) and statuses[2] == 504
        refused = next(a.result() for a in attacks if a.result().status_code == 429)
        assert refused.headers["Retry-After"] == "1"
        assert refused.json()["error"] == "too_many_requests"
        assert metric(server, "kb_client_share_refusals_total") == 1
