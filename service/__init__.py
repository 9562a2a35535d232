"""alignwatch: watches whether two allies' economic-security policies converge or diverge."""

__version__ = "0.1.0"
