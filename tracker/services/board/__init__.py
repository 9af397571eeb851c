"""The board cycle: the board calendar and deadlines, the board report and its Word and PDF files,
published packs, and locked periods."""
