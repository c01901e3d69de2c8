"""The app's files that are not code: icons, stylesheets and the desktop entry, read with importlib.resources."""
