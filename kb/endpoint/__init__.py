"""The SPARQL 1.1 endpoint: protocol, query service, worker pool and self-description.

`routes.router` serves `/sparql`; `service.QueryService` answers through a
pool of worker processes (`pool`, `worker`). Importing this package stays
cheap: query workers import only `kb.endpoint.worker`.
"""
