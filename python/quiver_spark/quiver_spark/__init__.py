"""Quiver pipelines on Apache Spark: see docs/spark.md."""
