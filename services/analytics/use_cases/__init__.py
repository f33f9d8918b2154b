"""Analytics' use cases: record events in the fact store, build and publish reports, the business metrics' counts,
retention and the synthetic data loader. The event handler is `record(session, event, settings)`
(libs/kit/consuming.py); none of these modules imports nameko."""
