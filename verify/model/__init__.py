"""The ground floor: the records, results, units, vocabulary, periods and failure reasons that
every other part of carbon-verify speaks in. It imports nothing of the project above it."""
