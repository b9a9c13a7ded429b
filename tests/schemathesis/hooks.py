"""Schemathesis hooks for the rendered service (SCHEMATHESIS_HOOKS=tests.schemathesis.hooks).

The schema's `phone` format says "a number in international notation"; which numbers exist is
`phonenumbers`' metadata, which no pattern can carry. Positive tests draw from numbers that
do exist, in the notations the service accepts; negative tests still break the pattern.
"""

import schemathesis
from hypothesis import strategies as st

MOBILE_NUMBERS = ["+14155552671", "+1 415 555 2672", "+1 (415) 555-2673", "+1.415.555.2674"]

schemathesis.openapi.format("phone", st.sampled_from(MOBILE_NUMBERS))
