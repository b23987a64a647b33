"""Where every alder stands on a petition: stances with their evidence and history, and the
public scoreboard."""
