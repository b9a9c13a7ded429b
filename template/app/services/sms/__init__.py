"""Verification texts: the job (`job`), when it leaves (`dispatch`, and `queue` with a worker),
how often it is tried (`retry`) and what the provider said (`delivery`)."""
