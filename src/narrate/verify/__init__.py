"""Checking what was made: the recognizer, verify, build --verify's retakes, ACX measurement."""
