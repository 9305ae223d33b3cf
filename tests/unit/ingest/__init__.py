"""Tests of conflictmap.ingest: the readers, from files and bytes to articles."""
