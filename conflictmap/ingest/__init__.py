"""Readers that turn files users have into Article records."""
