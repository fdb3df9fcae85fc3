"""What every layer shares: typed errors, files inside packages, the data home, safe writes."""
