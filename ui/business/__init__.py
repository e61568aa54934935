"""Business screens: the generic form generated from a catalog item (custom screens for complex items come later)."""
