"""Who runs the site and what it does with people's details: the about and privacy pages."""
