"""The demo: the network, its staff, funding lines, gathering places, planning scenarios and the
synthetic activity, with the commands that load them. It sits above the domain: it may import
every domain app, and no domain app imports it."""
