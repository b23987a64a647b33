"""Letters from supporters to their alder: the campaign, the letter, daily digests."""
