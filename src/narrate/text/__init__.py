"""The text a narrator reads: the essay split into sections, scripts, sentences, normalization, the lexicon."""
