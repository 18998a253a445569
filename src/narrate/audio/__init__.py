"""Audio: the one PCM format, mastering, the music cue, stitching, and the MP3 and M4B files."""
