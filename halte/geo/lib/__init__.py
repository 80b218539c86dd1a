"""Offline geography for Halte: areas, address lookup, distances.

Pure Python (shapely + numpy), no Django import, no network, no file outside
``halte/geo/data``.  Heavy data is loaded lazily on first use.
"""
