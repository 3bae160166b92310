"""HTTP pieces shared by the endpoint, the linked-data site and the explorer:
the error table and body shape, content negotiation, caching validators,
request middleware and metrics. Nothing here knows a route.
"""
