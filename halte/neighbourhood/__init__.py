"""A site's streets: pick-ups in public space, residents' reports, mediation rounds and committees."""
