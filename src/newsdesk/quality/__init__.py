"""Quality metrics for fuzzy stages: extraction, clustering, writing."""
