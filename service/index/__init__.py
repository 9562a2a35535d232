"""The US–Japan (or any configured pair's) alignment index: positions, momentum, attribution."""
