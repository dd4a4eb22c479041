"""The plugin's Processing provider and algorithms."""
