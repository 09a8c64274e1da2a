"""(Spec, Dataset, Area) -> Document."""
