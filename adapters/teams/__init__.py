"""The Microsoft Teams door: the only package that imports botbuilder."""
