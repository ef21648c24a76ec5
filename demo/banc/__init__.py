"""The national benchmark: a dataset generator (`generateur`) and a measuring module (`mesure`)."""
