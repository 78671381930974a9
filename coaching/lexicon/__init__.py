"""Word lists the coaching core reads as data (YAML files shipped with the package)."""
