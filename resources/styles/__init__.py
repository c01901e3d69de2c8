"""Stylesheets: Qt's ``.qss`` for widgets (``ui.theme.stylesheet`` fills their dollar-brace colour names
for the light or dark palette) and the review packet's ``.css``."""
