"""Drug checking and product alerts: samples, laboratory results, alerts to every desk, signals."""
