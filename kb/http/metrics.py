"""Prometheus text-format metrics, kept in process (one server process per pool)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, int]] = Counter()
        self.queries: Counter[tuple[str, str]] = Counter()
        self.errors: Counter[str] = Counter()
        self.truncations = 0
        self.timeouts = 0
        self.client_disconnects = 0
        self._buckets = [0] * len(LATENCY_BUCKETS)
        self._count = 0
        self._sum = 0.0
        self.gauges: dict[str, Callable[[], float]] = {}

    def request(self, route: str, status: int) -> None:
        self.requests[(route, status)] += 1

    def query(self, form: str, outcome: str, seconds: float) -> None:
        self.queries[(form, outcome)] += 1
        self._count += 1
        self._sum += seconds
        for i, bound in enumerate(LATENCY_BUCKETS):
            if seconds <= bound:
                self._buckets[i] += 1

    def error(self, code: str) -> None:
        self.errors[code] += 1
        if code == "query_timeout":
            self.timeouts += 1

    def render(self) -> str:
        out: list[str] = []

        def family(name: str, kind: str, help_text: str) -> None:
            out.append(f"# HELP {name} {help_text}")
            out.append(f"# TYPE {name} {kind}")

        family("kb_http_requests_total", "counter", "HTTP requests by route and status.")
        for (route, status), n in sorted(self.requests.items()):
            out.append(f'kb_http_requests_total{{route="{route}",status="{status}"}} {n}')
        family("kb_sparql_queries_total", "counter", "SPARQL queries by form and outcome.")
        for (form, outcome), n in sorted(self.queries.items()):
            out.append(f'kb_sparql_queries_total{{form="{form}",outcome="{outcome}"}} {n}')
        family("kb_sparql_query_duration_seconds", "histogram", "Query time, request to end.")
        for bound, n in zip(LATENCY_BUCKETS, self._buckets, strict=True):
            out.append(f'kb_sparql_query_duration_seconds_bucket{{le="{bound}"}} {n}')
        out.append(f'kb_sparql_query_duration_seconds_bucket{{le="+Inf"}} {self._count}')
        out.append(f"kb_sparql_query_duration_seconds_sum {self._sum:.6f}")
        out.append(f"kb_sparql_query_duration_seconds_count {self._count}")
        family("kb_sparql_timeouts_total", "counter", "Queries stopped at their deadline.")
        out.append(f"kb_sparql_timeouts_total {self.timeouts}")
        family("kb_sparql_truncated_total", "counter", "Results cut at the row cap.")
        out.append(f"kb_sparql_truncated_total {self.truncations}")
        family("kb_sparql_client_disconnects_total", "counter", "Queries stopped: client left.")
        out.append(f"kb_sparql_client_disconnects_total {self.client_disconnects}")
        family("kb_errors_total", "counter", "Error responses by code.")
        for code, n in sorted(self.errors.items()):
            out.append(f'kb_errors_total{{code="{code}"}} {n}')
        for name, read in sorted(self.gauges.items()):
            family(name, "gauge", name.replace("_", " "))
            out.append(f"{name} {read()}")
        return "\n".join(out) + "\n"
