"""Model Dojo's engine: pure Python, never imports streamlit."""

__version__ = "0.1.0"
