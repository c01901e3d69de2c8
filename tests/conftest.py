"""Test-wide settings: Qt always offscreen, set here rather than by hand."""

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"
