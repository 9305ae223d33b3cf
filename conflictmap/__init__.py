"""ConflictMap: conflict news to dated, geolocated events on a map."""

__version__ = "0.1.0"
