"""The texts of verification messages, per purpose and language.

Kept short: one SMS segment is 160 GSM-7 characters, or 70 once an accented letter forces
UCS-2, and every extra segment is billed.
"""

from dataclasses import dataclass
from enum import StrEnum

from app.core.enums import VerificationPurpose
from app.integrations.phone.base import TextMessage


class MessageKind(StrEnum):
    REGISTRATION = "registration"
    LOGIN = "login"
    # Someone registered with a number that already has an account: a sign-in code, and a
    # hint to the owner, instead of telling the requester whether the number is known.
    EXISTING_ACCOUNT = "existing_account"
    PHONE_CHANGE = "phone_change"


DEFAULT_LANGUAGE = "en"

TEMPLATES: dict[str, dict[MessageKind, str]] = {
    "en": {
        MessageKind.REGISTRATION: "{code} is your {service} verification code. "
        "It expires in {minutes} minutes.",
        MessageKind.LOGIN: "{code} is your {service} sign-in code. "
        "It expires in {minutes} minutes. Never share it.",
        MessageKind.EXISTING_ACCOUNT: "You already have a {service} account. "
        "{code} is your sign-in code (valid {minutes} minutes).",
        MessageKind.PHONE_CHANGE: "{code} is your code to confirm this number for {service}. "
        "It expires in {minutes} minutes.",
    },
    "es": {
        MessageKind.REGISTRATION: "{code} es tu código de verificación de {service}. "
        "Caduca en {minutes} minutos.",
        MessageKind.LOGIN: "{code} es tu código de acceso a {service}. "
        "Caduca en {minutes} minutos. No lo compartas.",
        MessageKind.EXISTING_ACCOUNT: "Ya tienes una cuenta de {service}. "
        "{code} es tu código de acceso ({minutes} minutos).",
        MessageKind.PHONE_CHANGE: "{code} es tu código para confirmar este número en {service}. "
        "Caduca en {minutes} minutos.",
    },
    "fr": {
        MessageKind.REGISTRATION: "{code} est votre code de vérification {service}. "
        "Il expire dans {minutes} minutes.",
        MessageKind.LOGIN: "{code} est votre code de connexion {service}. "
        "Il expire dans {minutes} minutes. Ne le partagez pas.",
        MessageKind.EXISTING_ACCOUNT: "Vous avez déjà un compte {service}. "
        "{code} est votre code de connexion ({minutes} minutes).",
        MessageKind.PHONE_CHANGE: "{code} est votre code pour confirmer ce numéro sur {service}. "
        "Il expire dans {minutes} minutes.",
    },
}

_KINDS = {
    VerificationPurpose.REGISTRATION: MessageKind.REGISTRATION,
    VerificationPurpose.LOGIN: MessageKind.LOGIN,
    VerificationPurpose.PHONE_CHANGE: MessageKind.PHONE_CHANGE,
}


def message_kind(purpose: VerificationPurpose, *, account_exists: bool) -> MessageKind:
    if purpose not in _KINDS:
        raise ValueError(f"No text message for the purpose {purpose.value!r}")
    if account_exists and purpose in (VerificationPurpose.REGISTRATION, VerificationPurpose.LOGIN):
        return MessageKind.EXISTING_ACCOUNT
    return _KINDS[purpose]


def language_of(locale: str | None) -> str:
    """The best language we have texts in: `pt-BR` tries `pt`, unknown ones fall back."""
    language = (locale or "").replace("_", "-").split("-")[0].lower()
    return language if language in TEMPLATES else DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class TextWriter:
    """Writes the service's verification texts. `SmsDelivery` writes each text with it before
    any text sender gets it, so every sender sends the same words."""

    service: str  # the name the texts give (PROJECT_NAME)
    ttl_seconds: int  # the codes' lifetime, which the texts state in minutes

    def write(
        self,
        to: str,
        purpose: VerificationPurpose,
        *,
        code: str,
        locale: str | None,
        account_exists: bool,
    ) -> TextMessage:
        """`account_exists`: someone registered with a number that already has an account;
        the text says so, and the code signs the owner in."""
        kind = message_kind(purpose, account_exists=account_exists)
        body = TEMPLATES[language_of(locale)][kind].format(
            code=code, service=self.service, minutes=max(1, self.ttl_seconds // 60)
        )
        return TextMessage(to=to, body=body, purpose=purpose, code=code)
