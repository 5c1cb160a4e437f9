"""specgen: typed pydantic v2 models from Speakeasy-style SDK model docs."""

__version__ = "0.2.0"
