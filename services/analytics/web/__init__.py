"""Analytics' HTTP handlers: the evaluation report on the service's internal address."""
