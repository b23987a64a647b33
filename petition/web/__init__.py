"""Web plumbing shared by every feature: errors, headers, sessions, templates, forms."""
