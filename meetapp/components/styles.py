"""Style fragments that several components share."""

from __future__ import annotations

# One line that ends in an ellipsis when it does not fit; Reflex does not pass Radix's
# `truncate` through to the element, so it is spelled out. In a row, add flex="1".
ONE_LINE = {
    "min_width": "0",
    "white_space": "nowrap",
    "overflow": "hidden",
    "text_overflow": "ellipsis",
}
