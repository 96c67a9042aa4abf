"""motcua: the one-stop shop (Bộ phận Một cửa) and the People & Business Service Index."""
