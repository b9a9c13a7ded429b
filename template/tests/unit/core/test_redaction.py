from app.core.redaction import REDACTED, redact_sensitive_values

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"


def test_credentials_and_codes_are_redacted_by_key_at_any_depth() -> None:
    event = {
        "event": "twilio_request",
        "code": "123456",
        "headers": {"Authorization": "Basic abc", "Accept": "json"},
        "attempts": [{"twilio_auth_token": "t0k3n"}],
        "verification_code": "654321",
    }

    redacted = redact_sensitive_values(None, "info", event)

    assert redacted["code"] == REDACTED
    assert redacted["verification_code"] == REDACTED
    assert redacted["headers"] == {"Authorization": REDACTED, "Accept": "json"}
    assert redacted["attempts"] == [{"twilio_auth_token": REDACTED}]


def test_phone_numbers_and_tokens_in_text_are_masked() -> None:
    event = {"event": "failed", "exception": f"+447911123456 sent Bearer {JWT} and {JWT}"}

    text = redact_sensitive_values(None, "error", event)["exception"]

    assert "+447911123456" not in text
    assert "+447*******56" in text
    assert JWT not in text
    assert text.count(REDACTED) == 2


def test_numbers_that_are_not_phone_numbers_stay() -> None:
    event = {
        "event": "slow_query",
        "duration_ms": 1234567,
        "note": "id 12345678901 took 3 s",
        "status_code": 503,
        "error_code": 20503,
    }

    assert redact_sensitive_values(None, "info", event) == event


def test_each_kind_of_secret_is_found_alone_and_in_any_case() -> None:
    # Each pattern on its own, so a quick check that skips clean text never skips these.
    texts = {
        "phone": "refused +14155550100",
        "jwt": f"token={JWT}",
        "bearer": "header authorization: bearer s3cr3t-value",
        "BEARER": "AUTHORIZATION: BEARER s3cr3t-value",
    }

    redacted = redact_sensitive_values(None, "info", texts)

    assert redacted["phone"] == "refused +141******00"
    assert redacted["jwt"] == f"token={REDACTED}"
    assert redacted["bearer"] == f"header authorization: bearer {REDACTED}"
    assert redacted["BEARER"] == f"AUTHORIZATION: BEARER {REDACTED}"
