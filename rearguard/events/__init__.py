"""The events stage: from an article to ACLED-style events with actors, dates, counts and
evidence."""
