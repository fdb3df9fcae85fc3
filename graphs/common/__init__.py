"""What every team's graph is built from: settings, the crew of role models, runs, stops."""
