"""Find my alder: the look-up page and API, the batch command, the rosters."""
