"""Prometheus metrics, one registry per process (prometheus-client, not a hand-made exporter).

Counters are bumped where things happen (polls, items, deliveries, requests); values that
live in the database (queue depth, index values) are read when Prometheus scrapes, through
callbacks registered by the app, so a scrape always shows the current state.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
LAG_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600, 7200, 36000, 86400)


class Metrics:
    """Every metric alignwatch exports."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.polls = Counter("alignwatch_polls", "Feed polls by result", ["result"], registry=r)
        self.feed_errors = Counter("alignwatch_feed_errors", "Failed polls by error kind",
                                   ["kind"], registry=r)
        self.items_ingested = Counter("alignwatch_items_ingested", "Items stored, new or changed",
                                      ["change"], registry=r)
        self.items_classified = Gauge(
            "alignwatch_items_classified", "Items classified, by the labels in force (database)",
            ["pair", "relevant", "actor", "domain", "stance"], registry=r)
        self.pipeline_failures = Counter("alignwatch_pipeline_failures",
                                         "Items parked after repeated processing failures",
                                         registry=r)
        self.alerts = Gauge("alignwatch_alerts", "Alerts raised, by kind (database)", ["kind"],
                            registry=r)
        self.deliveries_pending = Gauge("alignwatch_deliveries_pending",
                                        "Webhook deliveries waiting in the outbox", registry=r)
        self.delivery_lag_oldest = Gauge("alignwatch_delivery_lag_oldest_seconds",
                                         "Age of the oldest pending delivery", registry=r)
        self.subscriptions = Gauge("alignwatch_subscriptions", "Subscriptions by state",
                                   ["state"], registry=r)
        self.deliveries = Counter("alignwatch_deliveries", "Webhook delivery attempts by result",
                                  ["result"], registry=r)
        self.delivery_lag = Histogram("alignwatch_delivery_lag_seconds",
                                      "From alert creation to a successful delivery",
                                      buckets=LAG_BUCKETS, registry=r)
        self.subscriptions_disabled = Counter("alignwatch_subscriptions_disabled",
                                              "Subscriptions disabled after failing too long",
                                              registry=r)
        self.requests = Histogram("alignwatch_http_request_duration_seconds",
                                  "API request latency", ["method", "route", "status"],
                                  buckets=LATENCY_BUCKETS, registry=r)
        self.auth_failures = Counter("alignwatch_auth_failures", "Rejected API keys", ["reason"],
                                     registry=r)
        self.queue_depth = Gauge("alignwatch_pipeline_queue_depth",
                                 "Stored items waiting to be processed", registry=r)
        self.index_value = Gauge("alignwatch_index_value", "Alignment index, 0 to 100",
                                 ["pair", "domain"], registry=r)
        self.feeds_by_status = Gauge("alignwatch_feeds", "Feeds by health status", ["status"],
                                     registry=r)
