"""Petitions: the public pages and counts, and organizers' editing and dashboard."""
