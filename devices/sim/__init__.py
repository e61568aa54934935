"""Simulated devices for the embedded demo and tests; refused on a production terminal."""
