"""What a build publishes beside its store: dumps, the DCAT/VoID catalogue,
dataset statistics and the incoming-link index.

Written once per build by `kb build` (`write_publication`); read by the
endpoint, the linked-data site and the explorer.
"""
