"""Documented module-level defaults.

Functions read these at call time, so a program (or a test) may change them.

storage_crs : str
    CRS of every stored geometry: ``"EPSG:4326"`` (WGS 84, lon/lat). A store may hold a
    province that spans two VN-2000 zones, and the web map and GeoJSON need WGS 84; lengths
    and areas are never measured in it (see ``ntmgeo.measure``).
vietnam_bounds : tuple of float
    (min lon, min lat, max lon, max lat) that every imported feature must fall inside, in
    WGS 84. A feature outside is almost always a wrong or missing CRS.
max_input_bytes : int
    Largest input file accepted (100 MiB). Larger files are refused before being read.
max_archive_members : int
    Most members a ZIP archive may hold.
max_archive_ratio : int
    Highest compression ratio accepted for a ZIP member (decompression-bomb guard).
lang : str
    Default language of messages and labels: ``"vi"`` (Vietnamese) or ``"en"``.
"""

storage_crs: str = "EPSG:4326"
vietnam_bounds: tuple[float, float, float, float] = (102.0, 6.0, 118.0, 23.6)
max_input_bytes: int = 100 * 1024 * 1024
max_archive_members: int = 1000
max_archive_ratio: int = 200
lang: str = "vi"
