"""Streamlit-only helpers shared by the pages: session state, i18n glue, common widgets."""
