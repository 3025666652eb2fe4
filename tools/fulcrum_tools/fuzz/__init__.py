"""The seed corpus of the fuzz targets in Fuzz/."""
