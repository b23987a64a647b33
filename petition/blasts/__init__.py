"""Organizer emails to a petition's signers, and unsubscribing from them."""
