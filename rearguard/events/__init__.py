"""The events stage: from parsed, geocoded sentences to incidents
(:func:`rearguard.events.extract.find_incidents`), and from incidents and their control
records to ACLED-style events with actors, dates, counts and evidence
(:func:`rearguard.events.merge.build_events`). :mod:`rearguard.pipeline` composes it with
the other stages."""
