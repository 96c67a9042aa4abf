"""The People & Business Service Index (QĐ 766/QĐ-TTg)."""
