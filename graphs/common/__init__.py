"""What every team is built from: settings, the crew of role models, runs, stops, live views."""
