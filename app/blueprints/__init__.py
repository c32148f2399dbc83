"""One module per area, each exposing ``bp``; a view = parse -> one service call -> render."""
