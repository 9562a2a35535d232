"""The dashboard: a static page served by the service itself that reads the public API."""
