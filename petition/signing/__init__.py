"""Signing a petition: the form, confirming by email, removing, the signer's ward."""
