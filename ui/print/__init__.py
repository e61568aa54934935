"""Print preview and printing of case documents (PDF → page images → Qt printer), journalled per print."""
