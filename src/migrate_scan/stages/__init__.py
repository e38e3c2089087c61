"""The pipeline stages: discover, parse, link, recognize, cluster, classify, plan."""
