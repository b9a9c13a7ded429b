"""Verification texts, one path for all of them: the job (`job`), how often it is tried
(`retry`), what the provider said (`delivery`) and how it leaves (the dispatchers)."""
