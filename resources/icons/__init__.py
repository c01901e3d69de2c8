"""SVG icons drawn in ``currentColor``, so ``ui.icons`` tints one drawing for the light and the dark palette."""
